// bookClinicAppointment: arguments → normalized contact → the service and practitioner in the
// clinic's own terms → what the caller meant (an instant, a question or a refusal) → ONE
// booking RPC → the spoken answer.
import { parseBookingArguments } from './booking-args.ts';
import { choosePractitioner, findService } from './catalogue.ts';
import { codeForField } from './codes.ts';
import { canonicalSaid, clinicCalendar, understandWhen } from './dates.ts';
import { bookingIdempotencyKey } from './idempotency.ts';
import { normalizePhone } from './phone.ts';
import { bookedMessage, whichPractitionerMessage } from './speech.ts';
import { asked, failed, refusedByDatabase, type ToolOutcome } from './tool-result.ts';
import type { BookingDatabase, OrgContext } from './booking-db.ts';
import type { ToolInput } from './tool-input.ts';
import { timed } from './timing.ts';

type Resolved<T> = { ok: true; value: T } | { ok: false; answer: ToolOutcome };

/** The spoken service in the clinic's catalogue (its own name and length), when it has one. */
function serviceOf(spoken: string, org: OrgContext, now: Date): Resolved<{ serviceType: string; durationMinutes?: number }> {
  if (org.services.length === 0) return { ok: true, value: { serviceType: spoken } };
  const service = findService(spoken, org.services);
  if (!service) return { ok: false, answer: failed('UNKNOWN_SERVICE', org, now, { services: org.services.map((s) => s.name) }) };
  return { ok: true, value: { serviceType: service.name, durationMinutes: service.durationMinutes } };
}

/** The practitioner asked for: an id, undefined for "anyone", or a question back. */
function practitionerOf(spoken: string | undefined, org: OrgContext, now: Date): Resolved<string | undefined> {
  // A clinic without practitioners is one calendar: whatever was said, nobody is assigned.
  if (org.practitioners.length === 0) return { ok: true, value: undefined };
  const choice = choosePractitioner(spoken, org.practitioners);
  switch (choice.kind) {
    case 'anyone': return { ok: true, value: undefined };
    case 'practitioner': return { ok: true, value: choice.practitioner.id };
    case 'ambiguous':
      return { ok: false, answer: { outcome: 'NEEDS_CLARIFICATION', text: whichPractitionerMessage(choice.candidates.map((p) => p.name)), rpcMs: 0 } };
    case 'unknown':
      return { ok: false, answer: failed('PRACTITIONER_NOT_FOUND', org, now, { practitioners: org.practitioners.map((p) => p.name) }) };
  }
}

export async function runBookTool(db: BookingDatabase, input: ToolInput): Promise<ToolOutcome> {
  const { org, context, now } = input;

  const parsed = parseBookingArguments(input.args);
  if (!parsed.ok) return failed(codeForField(parsed.field), org, now);
  const args = parsed.value;

  // Web calls have no customer number; a phone call's caller id is the fallback.
  const phone = normalizePhone(args.phone ?? context.customerNumber, org.defaultCountry);
  if (!phone) return failed('INVALID_PHONE', org, now);

  const service = serviceOf(args.serviceType, org, now);
  if (!service.ok) return service.answer;
  const practitioner = practitionerOf(args.practitioner, org, now);
  if (!practitioner.ok) return practitioner.answer;

  const when = understandWhen(args, clinicCalendar(org), now);
  if (when.kind === 'ask') return asked(when.question);
  if (when.kind === 'refuse') {
    return failed(when.code, org, now, when.code === 'BEYOND_HORIZON' ? { latestDate: when.latestDate } : {});
  }

  const idempotencyKey = input.explicitIdempotencyKey ?? await bookingIdempotencyKey(context.callId, org.orgId, {
    name: args.name,
    phoneE164: phone,
    email: args.email,
    serviceType: args.serviceType,
    durationMinutes: args.durationMinutes,
    when: canonicalSaid(args),
    practitionerId: practitioner.value,
  });

  const { value: reply, ms: rpcMs } = await timed(() => db.book({
    orgId: org.orgId,
    name: args.name,
    email: args.email,
    phone,
    serviceType: service.value.serviceType,
    start: when.start,
    durationMinutes: args.durationMinutes ?? service.value.durationMinutes ?? org.defaultDurationMinutes,
    idempotencyKey,
    practitionerId: practitioner.value,
  }));

  if (reply.success) {
    // The stored instant, as the database returned it: that is what the caller hears.
    return {
      outcome: reply.replayed ? 'REPLAYED' : 'BOOKED',
      text: bookedMessage(reply.start, org.timeZone, { correction: when.correction, note: when.note, now }),
      rpcMs,
    };
  }
  return refusedByDatabase(reply, org, now, rpcMs);
}
