// cancelAppointment: who is asking → which appointment (a day as said, through dates.ts) → ONE
// cancel_appointment RPC. Idempotent in the SQL: a retry after the cancel committed answers
// success with replayed = true, spoken the same way. Several upcoming and no day said → the
// caller's own appointments are listed by day and time and the caller is asked which.
import { codeForField } from './codes.ts';
import { identifyCaller } from './caller-identity.ts';
import { clinicCalendar, formatIsoDay, understandDay } from './dates.ts';
import { parseCancelArguments } from './receptionist-args.ts';
import { cancelledMessage } from './speech.ts';
import { asked, failed, refusedByDatabase, type ToolOutcome } from './tool-result.ts';
import { timed } from './timing.ts';
import type { BookingDatabase } from './booking-db.ts';
import type { ToolInput } from './tool-input.ts';

export async function runCancelTool(db: BookingDatabase, input: ToolInput): Promise<ToolOutcome> {
  const { org, now } = input;
  const parsed = parseCancelArguments(input.args);
  if (!parsed.ok) return failed(codeForField(parsed.field), org, now);
  const args = parsed.value;
  const who = identifyCaller(args, input.context, org.defaultCountry);
  if (!who.ok) return failed(who.code, org, now);

  let day: string | undefined;
  if (args.date !== undefined) {
    const understood = understandDay(args.date, clinicCalendar(org), now);
    if (understood.kind === 'ask') return asked(understood.question);
    // A day past the horizon holds no appointment either: the SQL would answer "not found".
    if (understood.kind === 'refuse') return failed(understood.code === 'INVALID_DATE' ? 'INVALID_DATE' : 'APPOINTMENT_NOT_FOUND', org, now);
    day = formatIsoDay(understood.day);
  }

  const { value: reply, ms: rpcMs } = await timed(() => db.cancelAppointment({ orgId: org.orgId, ...who.caller, day }));
  if (!reply.success) return refusedByDatabase(reply, org, now, rpcMs);
  return { outcome: 'CANCELLED', text: cancelledMessage(reply.start, org.timeZone, now), rpcMs };
}
