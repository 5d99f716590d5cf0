// bookClinicAppointment: arguments → normalized contact → resolved date → ONE booking RPC →
// the spoken answer.
import { parseBookingArguments } from './booking-args.ts';
import { codeForField, isBookingErrorCode } from './codes.ts';
import { resolveAppointmentTime } from './dates.ts';
import { bookingIdempotencyKey } from './idempotency.ts';
import { normalizePhone } from './phone.ts';
import { bookedMessage, errorMessage } from './speech.ts';
import type { BookingDatabase, OrgContext } from './booking-db.ts';
import type { CallContext } from './envelope.ts';
import type { ToolOutcome } from './tool-result.ts';
import { timed } from './timing.ts';

export interface BookToolInput {
  args: Record<string, unknown> | null;
  org: OrgContext;
  context: CallContext;
  /** A direct caller's own key; Vapi calls derive one from the call. */
  explicitIdempotencyKey: string | undefined;
  now: Date;
}

export async function runBookTool(db: BookingDatabase, input: BookToolInput): Promise<ToolOutcome> {
  const { org, context, now } = input;
  const fail = (code: Parameters<typeof errorMessage>[0], alternatives: Date[] = [], rpcMs = 0): ToolOutcome => ({
    outcome: code,
    text: errorMessage(code, { alternatives, timeZone: org.timeZone, now }),
    rpcMs,
  });

  const parsed = parseBookingArguments(input.args);
  if (!parsed.ok) return fail(codeForField(parsed.field));
  const args = parsed.value;

  // Web calls have no customer number; a phone call's caller id is the fallback.
  const phone = normalizePhone(args.phone ?? context.customerNumber, org.defaultCountry);
  if (!phone) return fail('INVALID_PHONE');

  const when = resolveAppointmentTime(args, org.timeZone, now);
  if (!when.ok) return fail('INVALID_DATE');

  const idempotencyKey = input.explicitIdempotencyKey
    ?? await bookingIdempotencyKey(context.callId, org.orgId, when.start, phone);

  const { value: reply, ms: rpcMs } = await timed(() => db.book({
    orgId: org.orgId,
    name: args.name,
    email: args.email,
    phone,
    serviceType: args.serviceType,
    start: when.start,
    durationMinutes: args.durationMinutes ?? org.defaultDurationMinutes,
    idempotencyKey,
  }));

  if (reply.success) {
    return {
      outcome: reply.replayed ? 'REPLAYED' : 'BOOKED',
      text: bookedMessage(reply.start, org.timeZone, { correction: when.correction, now }),
      rpcMs,
    };
  }
  return fail(isBookingErrorCode(reply.code) ? reply.code : 'UNAVAILABLE', reply.alternatives, rpcMs);
}
