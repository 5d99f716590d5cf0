// What one tool call produced: the line the assistant speaks, and the outcome for the log.
import type { OutcomeCode } from './codes.ts';

export type { OutcomeCode } from './codes.ts';
export { isUnactionable } from './codes.ts';

export interface ToolOutcome {
  outcome: OutcomeCode;
  /** One line, no personal data beyond what the caller said themselves. */
  text: string;
  rpcMs: number;
}
