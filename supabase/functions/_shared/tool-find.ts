// findAppointment: who is asking (caller id, or a quoted number + name) → ONE find_appointments
// RPC → the caller's upcoming appointments at this clinic as one line: dates, times, service and
// practitioner only — never a patient's name.
import { codeForField } from './codes.ts';
import { identifyCaller } from './caller-identity.ts';
import { parseFindArguments } from './receptionist-args.ts';
import { foundMessage } from './speech.ts';
import { failed, refusedByDatabase, type ToolOutcome } from './tool-result.ts';
import { timed } from './timing.ts';
import type { BookingDatabase } from './booking-db.ts';
import type { ToolInput } from './tool-input.ts';

export async function runFindTool(db: BookingDatabase, input: ToolInput): Promise<ToolOutcome> {
  const { org, now } = input;
  const parsed = parseFindArguments(input.args);
  if (!parsed.ok) return failed(codeForField(parsed.field), org, now);
  const who = identifyCaller(parsed.value, input.context, org.defaultCountry);
  if (!who.ok) return failed(who.code, org, now);

  const { value: reply, ms: rpcMs } = await timed(() => db.findAppointments(org.orgId, who.caller));
  if (!reply.success) return refusedByDatabase(reply, org, now, rpcMs);
  if (reply.appointments.length === 0) return failed('APPOINTMENT_NOT_FOUND', org, now, {}, rpcMs);
  return { outcome: 'FOUND', text: foundMessage(reply.appointments, org.timeZone, now), rpcMs };
}
