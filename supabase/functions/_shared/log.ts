// One JSON line per tool call. Only ids, codes and timings: never the body, names, phones,
// emails or secrets (Vapi ids and our org uuid are not personal data). A failure that is not
// a business outcome says its kind and the database / PostgREST code; a bug carries its stack.
import type { OutcomeCode } from './codes.ts';

/** unreachable / timeout / unexpected_reply come from the database call; bug is our own code. */
export type ErrorKind = 'unreachable' | 'timeout' | 'unexpected_reply' | 'bug';

export interface ToolCallLogLine {
  event: 'tool_call';
  tool: string;
  org: string | null;
  callId: string | null;
  toolCallId: string;
  outcome: OutcomeCode;
  totalMs: number;
  /** Time actually spent in database calls for this tool call, failed ones included. */
  rpcMs: number;
  errorKind?: ErrorKind;
  /** SQLSTATE or PostgREST code (PGRST202, 42501, 57014…), when the reply had one. */
  errorCode?: string;
  httpStatus?: number;
  /** Which part of an unexpected reply did not fit (a path, never a value). */
  errorDetail?: string;
  /** Bugs only: the stack, with quoted text, emails and long digit runs masked. */
  stack?: string;
  /** ROUTE_MISMATCH only: the two routing ids that disagree, for the operator who fixes the routes. */
  assistantId?: string | null;
  phoneNumberId?: string | null;
}

export type RejectReason = 'method' | 'too_large' | 'unauthorized' | 'unreadable' | 'not_json' | 'bad_envelope' | 'wrong_credential';

export interface RequestLogLine {
  event: 'request_rejected';
  status: number;
  reason: RejectReason;
}

/** Something in our own code threw outside any tool call: the caller got a bare 500. */
export interface RequestFailedLine {
  event: 'request_failed';
  errorKind: 'bug';
  stack: string;
}

export type LogLine = ToolCallLogLine | RequestLogLine | RequestFailedLine;
export type Logger = (line: LogLine) => void;

/** Ids echoed from the request are capped, so a hostile id cannot flood the log. */
export function clip(id: string | undefined): string | null {
  return id === undefined || id === '' ? null : id.slice(0, 100);
}

const MAX_STACK = 4000;

/**
 * A thrown value's stack for the log. Error messages can quote data ("… is not valid JSON"
 * quotes the input), so quoted text, email-like and phone-like runs are masked first.
 */
export function stackForLog(error: unknown): string {
  const raw = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `non-Error thrown: ${typeof error}`;
  return raw
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '"…"')
    .replace(/[^\s@'"()]+@[^\s@'"()]+/g, '…@…')
    .replace(/\+?\d[\d ().-]{6,}\d/g, '…')
    .slice(0, MAX_STACK);
}

export const jsonLogger = (write: (text: string) => void): Logger => (line) => write(JSON.stringify(line));
