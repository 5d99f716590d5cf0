// Outcome codes the assistant can be told about: the booking function's codes (DESIGN.md)
// plus the ones only the edge function produces.
import type { AvailabilityField, BookingField } from './booking-args.ts';

export const DATABASE_CODES = [
  'SLOT_UNAVAILABLE',
  'ORG_NOT_FOUND',
  'INVALID_NAME',
  'INVALID_EMAIL',
  'INVALID_PHONE',
  'INVALID_SERVICE_TYPE',
  'INVALID_DURATION',
  'PAST_TIME',
  'OUTSIDE_BUSINESS_HOURS',
  'IDEMPOTENCY_KEY_REUSED',
  'INVALID_IDEMPOTENCY_KEY',
  'TRY_AGAIN', // the clinic's booking lock was not granted in time: retryable
  'BEYOND_HORIZON', // after the clinic's booking horizon (the edge checks first; the SQL is the backstop)
] as const;

export const EDGE_CODES = [
  'INVALID_DATE', // the date/time text could not be resolved
  'NEEDS_CLARIFICATION', // what was said fits two days or times: one question is asked back (a result, not an error)
  'INVALID_ARGUMENTS', // the tool arguments were not a readable JSON object
  'UNKNOWN_TOOL', // a tool name this endpoint does not serve
  'UNAVAILABLE', // infrastructure failure: database unreachable, unexpected reply, or a bug
  'ROUTE_MISMATCH', // the call's assistant and phone number are routed to different clinics
  'TOO_MANY_TOOL_CALLS', // past the per-message cap: answered without being run
  'DEADLINE_EXCEEDED', // the request's time budget ran out before this call could run: retryable
] as const;

export type BookingErrorCode = (typeof DATABASE_CODES)[number] | (typeof EDGE_CODES)[number];

const ALL_CODES: ReadonlySet<string> = new Set([...DATABASE_CODES, ...EDGE_CODES]);

export function isBookingErrorCode(value: unknown): value is BookingErrorCode {
  return typeof value === 'string' && ALL_CODES.has(value);
}

const FIELD_CODES: Readonly<Record<BookingField | AvailabilityField, BookingErrorCode>> = {
  name: 'INVALID_NAME',
  phone: 'INVALID_PHONE',
  email: 'INVALID_EMAIL',
  serviceType: 'INVALID_SERVICE_TYPE',
  date: 'INVALID_DATE',
  durationMinutes: 'INVALID_DURATION',
  arguments: 'INVALID_ARGUMENTS',
};

/** The code to answer with when parseBookingArguments / parseAvailabilityArguments fail. */
export function codeForField(field: BookingField | AvailabilityField): BookingErrorCode {
  return FIELD_CODES[field];
}
