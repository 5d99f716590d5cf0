// checkAvailability: a day → the clinic's free starts that day, spoken as one line, through
// one read-only RPC.
import { parseAvailabilityArguments } from './booking-args.ts';
import { codeForField, isBookingErrorCode } from './codes.ts';
import { resolveAppointmentDay } from './dates.ts';
import { availabilityMessage, errorMessage } from './speech.ts';
import type { BookingDatabase, OrgContext } from './booking-db.ts';
import type { ToolOutcome } from './tool-result.ts';
import { timed } from './timing.ts';

export async function runAvailabilityTool(
  db: BookingDatabase,
  input: { args: Record<string, unknown> | null; org: OrgContext; now: Date },
): Promise<ToolOutcome> {
  const { org, now } = input;
  const fail = (code: Parameters<typeof errorMessage>[0], rpcMs = 0): ToolOutcome => ({
    outcome: code,
    text: errorMessage(code, { timeZone: org.timeZone, now }),
    rpcMs,
  });

  const parsed = parseAvailabilityArguments(input.args);
  if (!parsed.ok) return fail(codeForField(parsed.field));
  const day = resolveAppointmentDay(parsed.value.date, org.timeZone, now);
  if (!day.ok) return fail('INVALID_DATE');

  const iso = `${day.day.year}-${String(day.day.month).padStart(2, '0')}-${String(day.day.day).padStart(2, '0')}`;
  const { value: reply, ms: rpcMs } = await timed(() =>
    db.checkAvailability(org.orgId, iso, parsed.value.durationMinutes ?? org.defaultDurationMinutes));
  if (!reply.success) return fail(isBookingErrorCode(reply.code) ? reply.code : 'UNAVAILABLE', rpcMs);
  return { outcome: 'AVAILABILITY', text: availabilityMessage(day.day, reply.slots, org.timeZone, { now }), rpcMs };
}
