// What one tool call produced: the line the assistant speaks, and the outcome for the log.
import type { BookingErrorCode } from './codes.ts';

export type OutcomeCode = 'BOOKED' | 'REPLAYED' | 'AVAILABILITY' | BookingErrorCode;

export interface ToolOutcome {
  outcome: OutcomeCode;
  /** One line, no personal data beyond what the caller said themselves. */
  text: string;
  rpcMs: number;
}

// Vapi reads `error` as "the tool failed": only for what the assistant cannot fix by asking
// the caller again. Everything else is a `result` it can act on.
// Waits that ran out (TRY_AGAIN, DEADLINE_EXCEEDED) are `result`s: the assistant can offer to retry.
const UNACTIONABLE: ReadonlySet<OutcomeCode> = new Set<OutcomeCode>([
  'UNKNOWN_TOOL', 'ORG_NOT_FOUND', 'UNAVAILABLE', 'ROUTE_MISMATCH', 'TOO_MANY_TOOL_CALLS',
]);

export function isUnactionable(outcome: OutcomeCode): boolean {
  return UNACTIONABLE.has(outcome);
}
