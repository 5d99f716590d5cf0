// One JSON line per tool call. Only ids, codes and timings: never the body, names, phones,
// emails or secrets (Vapi ids and our org uuid are not personal data).
import type { OutcomeCode } from './tool-result.ts';

export interface ToolCallLogLine {
  event: 'tool_call';
  tool: string;
  org: string | null;
  callId: string | null;
  toolCallId: string;
  outcome: OutcomeCode;
  totalMs: number;
  rpcMs: number;
}

export interface RequestLogLine {
  event: 'request_rejected';
  status: number;
  reason: 'method' | 'too_large' | 'unauthorized' | 'not_json' | 'bad_envelope';
}

export type LogLine = ToolCallLogLine | RequestLogLine;
export type Logger = (line: LogLine) => void;

/** Ids echoed from the request are capped, so a hostile id cannot flood the log. */
export function clip(id: string | undefined): string | null {
  return id === undefined || id === '' ? null : id.slice(0, 100);
}

export const jsonLogger = (write: (text: string) => void): Logger => (line) => write(JSON.stringify(line));
