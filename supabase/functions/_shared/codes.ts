// Outcome codes: one table, the source of every other list of them (see OUTCOMES).
import type { AvailabilityField, BookingField } from './booking-args.ts';
import type { ReceptionistField } from './receptionist-args.ts';

/**
 * THE list of outcome codes: every code a caller's answer or an operator's log line can carry.
 * `from` says who produces it (the SQL functions, this endpoint, or both); `answer` says how
 * Vapi is told (`result`: the assistant can act on it, `error`: "the tool failed").
 * Everything else is derived from or checked against this table:
 *   - speech.ts must have a line for every failure code (a Record over these keys: tsc fails otherwise);
 *   - tests/integration/outcome-codes.test.ts reads the codes the SQL can return from the migrated
 *     database (private.booking_failure and every call to it) and checks they are `from` database here;
 *   - tests/unit/outcome-codes.test.ts checks the README's "Error codes" table lists exactly these.
 */
export const OUTCOMES = {
  // Successes (log outcomes; the caller hears the booked / free-times line).
  BOOKED: { from: 'database', answer: 'result' },
  REPLAYED: { from: 'database', answer: 'result' },
  AVAILABILITY: { from: 'database', answer: 'result' },
  FOUND: { from: 'database', answer: 'result' },
  CANCELLED: { from: 'database', answer: 'result' },
  RESCHEDULED: { from: 'database', answer: 'result' },
  // Business outcomes of the booking and availability functions.
  SLOT_UNAVAILABLE: { from: 'database', answer: 'result' },
  ORG_NOT_FOUND: { from: 'both', answer: 'error' },
  INVALID_NAME: { from: 'both', answer: 'result' },
  INVALID_EMAIL: { from: 'both', answer: 'result' },
  INVALID_PHONE: { from: 'both', answer: 'result' },
  INVALID_SERVICE_TYPE: { from: 'both', answer: 'result' },
  INVALID_DURATION: { from: 'both', answer: 'result' },
  INVALID_DATE: { from: 'both', answer: 'result' },
  PAST_TIME: { from: 'database', answer: 'result' },
  OUTSIDE_BUSINESS_HOURS: { from: 'database', answer: 'result' },
  BEYOND_HORIZON: { from: 'both', answer: 'result' },
  IDEMPOTENCY_KEY_REUSED: { from: 'database', answer: 'result' },
  APPOINTMENT_INACTIVE: { from: 'database', answer: 'result' },
  INVALID_IDEMPOTENCY_KEY: { from: 'database', answer: 'result' },
  TRY_AGAIN: { from: 'both', answer: 'result' },
  // Practitioners, services, find / cancel / reschedule (docs/receptionist-calls.md). The endpoint maps a
  // spoken service and practitioner itself when resolve_booking_org lists them; the SQL is the backstop.
  UNKNOWN_SERVICE: { from: 'both', answer: 'result' },
  PRACTITIONER_NOT_FOUND: { from: 'both', answer: 'result' },
  // The named practitioner, or nobody, offers the service (docs/receptionist-calls.md).
  SERVICE_NOT_OFFERED: { from: 'database', answer: 'result' },
  TOO_SOON: { from: 'database', answer: 'result' },
  CLINIC_CLOSED: { from: 'database', answer: 'result' },
  AMBIGUOUS_APPOINTMENT: { from: 'database', answer: 'result' },
  APPOINTMENT_NOT_FOUND: { from: 'database', answer: 'result' },
  // The endpoint's own.
  NAME_REQUIRED: { from: 'endpoint', answer: 'result' },
  NEEDS_CLARIFICATION: { from: 'endpoint', answer: 'result' },
  INVALID_ARGUMENTS: { from: 'endpoint', answer: 'result' },
  UNKNOWN_TOOL: { from: 'endpoint', answer: 'error' },
  UNAVAILABLE: { from: 'endpoint', answer: 'error' },
  ROUTE_MISMATCH: { from: 'endpoint', answer: 'error' },
  TOO_MANY_TOOL_CALLS: { from: 'endpoint', answer: 'error' },
  DEADLINE_EXCEEDED: { from: 'endpoint', answer: 'result' },
} as const satisfies Record<string, { from: 'database' | 'endpoint' | 'both'; answer: 'result' | 'error' }>;

export type OutcomeCode = keyof typeof OUTCOMES;
type SuccessCode = 'BOOKED' | 'REPLAYED' | 'AVAILABILITY' | 'FOUND' | 'CANCELLED' | 'RESCHEDULED';
/** A code that is not a success: what errorMessage() speaks. */
export type BookingErrorCode = Exclude<OutcomeCode, SuccessCode>;

const SUCCESS_CODES: ReadonlySet<string> = new Set<SuccessCode>(['BOOKED', 'REPLAYED', 'AVAILABILITY', 'FOUND', 'CANCELLED', 'RESCHEDULED']);
const codesWhere = (keep: (spec: (typeof OUTCOMES)[OutcomeCode]) => boolean): BookingErrorCode[] =>
  (Object.keys(OUTCOMES) as OutcomeCode[])
    .filter((code): code is BookingErrorCode => !SUCCESS_CODES.has(code) && keep(OUTCOMES[code]));

/** Failure codes the SQL functions return (some the endpoint also produces itself). */
export const DATABASE_CODES: readonly BookingErrorCode[] = codesWhere((spec) => spec.from !== 'endpoint');
/** Failure codes only the endpoint produces. */
export const EDGE_CODES: readonly BookingErrorCode[] = codesWhere((spec) => spec.from === 'endpoint');

export function isBookingErrorCode(value: unknown): value is BookingErrorCode {
  return typeof value === 'string' && Object.hasOwn(OUTCOMES, value) && !SUCCESS_CODES.has(value);
}

/** Vapi reads `error` as "the tool failed": only for what the assistant cannot fix by asking again. */
export function isUnactionable(outcome: OutcomeCode): boolean {
  return OUTCOMES[outcome].answer === 'error';
}

type ArgumentField = BookingField | AvailabilityField | ReceptionistField;

const FIELD_CODES: Readonly<Record<ArgumentField, BookingErrorCode>> = {
  name: 'INVALID_NAME',
  phone: 'INVALID_PHONE',
  email: 'INVALID_EMAIL',
  serviceType: 'INVALID_SERVICE_TYPE',
  date: 'INVALID_DATE',
  durationMinutes: 'INVALID_DURATION',
  practitioner: 'PRACTITIONER_NOT_FOUND',
  arguments: 'INVALID_ARGUMENTS',
};

/** The code to answer with when an argument parser (booking-args.ts, receptionist-args.ts) fails. */
export function codeForField(field: ArgumentField): BookingErrorCode {
  return FIELD_CODES[field];
}
