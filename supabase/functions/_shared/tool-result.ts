// What one tool call produced: the line the assistant speaks, and the outcome for the log.
import { isBookingErrorCode, type BookingErrorCode, type OutcomeCode } from './codes.ts';
import { clarificationMessage, errorMessage, type ErrorMessageOptions } from './speech.ts';
import { dayFromIso, type Question } from './dates.ts';
import type { OrgContext, RefusalDetails } from './booking-db.ts';

export interface ToolOutcome {
  outcome: OutcomeCode;
  /** One line, no personal data beyond what the caller said themselves. */
  text: string;
  rpcMs: number;
}

/** A failure the endpoint found itself (no RPC made, or its details already spoken). */
export function failed(code: BookingErrorCode, org: OrgContext, now: Date, options: ErrorMessageOptions = {}, rpcMs = 0): ToolOutcome {
  return { outcome: code, text: errorMessage(code, { timeZone: org.timeZone, now, ...options }), rpcMs };
}

export function asked(question: Question): ToolOutcome {
  return { outcome: 'NEEDS_CLARIFICATION', text: clarificationMessage(question), rpcMs: 0 };
}

/**
 * A refusal the database returned, with whatever it carried (alternatives, the horizon's last
 * day, the clinic's services, the caller's candidate appointments). A code the endpoint does not
 * know is an infrastructure failure, never spoken as something else.
 */
export function refusedByDatabase(
  refused: { code: string } & RefusalDetails,
  org: OrgContext,
  now: Date,
  rpcMs: number,
  options: Pick<ErrorMessageOptions, 'keepsBooking'> = {},
): ToolOutcome {
  const latestDate = refused.latestDate === undefined ? undefined : dayFromIso(refused.latestDate);
  return failed(isBookingErrorCode(refused.code) ? refused.code : 'UNAVAILABLE', org, now, {
    ...options,
    alternatives: refused.alternatives,
    ...(latestDate ? { latestDate } : {}),
    ...(refused.services ? { services: refused.services } : {}),
    ...(refused.appointments ? { appointments: refused.appointments } : {}),
  }, rpcMs);
}
