// What every tool gets: its arguments, the clinic, the call's trusted context and its "now".
import type { OrgContext } from './booking-db.ts';
import type { CallContext } from './envelope.ts';

export interface ToolInput {
  args: Record<string, unknown> | null;
  org: OrgContext;
  context: CallContext;
  /** A direct caller's own key; Vapi calls derive one from the call. */
  explicitIdempotencyKey: string | undefined;
  /** The call's "now": its start when Vapi says, so every retry resolves the same slot. */
  now: Date;
}
