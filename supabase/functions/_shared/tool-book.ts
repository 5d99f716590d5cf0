// bookClinicAppointment: arguments → normalized contact → what the caller meant (an instant, a
// question or a refusal) → ONE booking RPC → the spoken answer.
import { parseBookingArguments } from './booking-args.ts';
import { codeForField, isBookingErrorCode } from './codes.ts';
import { canonicalSaid, clinicCalendar, dayFromIso, understandWhen, type CalendarDay } from './dates.ts';
import { bookingIdempotencyKey } from './idempotency.ts';
import { normalizePhone } from './phone.ts';
import { bookedMessage, clarificationMessage, errorMessage } from './speech.ts';
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
  /** The call's "now": its start when Vapi says, so every retry resolves the same slot. */
  now: Date;
}

export async function runBookTool(db: BookingDatabase, input: BookToolInput): Promise<ToolOutcome> {
  const { org, context, now } = input;
  const fail = (
    code: Parameters<typeof errorMessage>[0],
    extra: { alternatives?: Date[]; latestDate?: CalendarDay } = {},
    rpcMs = 0,
  ): ToolOutcome => ({
    outcome: code,
    text: errorMessage(code, { ...extra, timeZone: org.timeZone, now }),
    rpcMs,
  });

  const parsed = parseBookingArguments(input.args);
  if (!parsed.ok) return fail(codeForField(parsed.field));
  const args = parsed.value;

  // Web calls have no customer number; a phone call's caller id is the fallback.
  const phone = normalizePhone(args.phone ?? context.customerNumber, org.defaultCountry);
  if (!phone) return fail('INVALID_PHONE');

  const when = understandWhen(args, clinicCalendar(org), now);
  if (when.kind === 'ask') return { outcome: 'NEEDS_CLARIFICATION', text: clarificationMessage(when.question), rpcMs: 0 };
  if (when.kind === 'refuse') {
    return fail(when.code, when.code === 'BEYOND_HORIZON' ? { latestDate: when.latestDate } : {});
  }

  const idempotencyKey = input.explicitIdempotencyKey ?? await bookingIdempotencyKey(context.callId, org.orgId, {
    name: args.name,
    phoneE164: phone,
    email: args.email,
    serviceType: args.serviceType,
    durationMinutes: args.durationMinutes,
    when: canonicalSaid(args),
  });

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
    // The stored instant, as the database returned it: that is what the caller hears.
    return {
      outcome: reply.replayed ? 'REPLAYED' : 'BOOKED',
      text: bookedMessage(reply.start, org.timeZone, { correction: when.correction, note: when.note, now }),
      rpcMs,
    };
  }
  const latestDate = reply.latestDate === undefined ? undefined : dayFromIso(reply.latestDate);
  return fail(
    isBookingErrorCode(reply.code) ? reply.code : 'UNAVAILABLE',
    { alternatives: reply.alternatives, ...(latestDate ? { latestDate } : {}) },
    rpcMs,
  );
}
