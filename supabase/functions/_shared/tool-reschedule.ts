// rescheduleAppointment: who is asking → which appointment (its day as said) → the new time,
// understood exactly as for a booking (questions asked back, horizon, DST) → ONE
// reschedule_appointment RPC, which takes the new slot under the clinic's lock before it
// releases the old one. Refused → the old booking stays, and the answer says so (with the
// nearest free times when the database offers them). A retry (same call, same words) carries
// the same idempotency key and gets the move back instead of a second one.
import { codeForField } from './codes.ts';
import { identifyCaller } from './caller-identity.ts';
import { canonicalSaid, clinicCalendar, formatIsoDay, understandDay, understandWhen } from './dates.ts';
import { rescheduleIdempotencyKey } from './idempotency.ts';
import { parseRescheduleArguments } from './receptionist-args.ts';
import { rescheduledMessage } from './speech.ts';
import { asked, failed, refusedByDatabase, type ToolOutcome } from './tool-result.ts';
import { timed } from './timing.ts';
import type { BookingDatabase } from './booking-db.ts';
import type { ToolInput } from './tool-input.ts';

export async function runRescheduleTool(db: BookingDatabase, input: ToolInput): Promise<ToolOutcome> {
  const { org, now, context } = input;
  const keeps = { keepsBooking: true } as const;
  const parsed = parseRescheduleArguments(input.args);
  if (!parsed.ok) return failed(codeForField(parsed.field), org, now, keeps);
  const args = parsed.value;
  const who = identifyCaller(args, context, org.defaultCountry);
  if (!who.ok) return failed(who.code, org, now);
  const calendar = clinicCalendar(org);

  let day: string | undefined;
  if (args.currentDate !== undefined) {
    const current = understandDay(args.currentDate, calendar, now);
    if (current.kind === 'ask') return asked(current.question);
    if (current.kind === 'refuse') return failed(current.code === 'INVALID_DATE' ? 'INVALID_DATE' : 'APPOINTMENT_NOT_FOUND', org, now);
    day = formatIsoDay(current.day);
  }

  const said = { date: args.newDate, time: args.newTime };
  const when = understandWhen(said, calendar, now);
  if (when.kind === 'ask') return asked(when.question);
  if (when.kind === 'refuse') {
    return failed(when.code, org, now, { ...keeps, ...(when.code === 'BEYOND_HORIZON' ? { latestDate: when.latestDate } : {}) });
  }

  const idempotencyKey = input.explicitIdempotencyKey ?? await rescheduleIdempotencyKey(context.callId, org.orgId, {
    phoneE164: who.caller.phone,
    name: who.caller.name,
    currentDate: canonicalSaid({ date: args.currentDate }).date,
    when: canonicalSaid(said),
  });

  const { value: reply, ms: rpcMs } = await timed(() => db.rescheduleAppointment({
    orgId: org.orgId, ...who.caller, day, newStart: when.start, idempotencyKey,
  }));
  if (!reply.success) return refusedByDatabase(reply, org, now, rpcMs, keeps);
  return {
    outcome: 'RESCHEDULED',
    // The stored instant, as the database returned it.
    text: rescheduledMessage(reply.start, org.timeZone, { correction: when.correction, note: when.note, now }),
    rpcMs,
  };
}
