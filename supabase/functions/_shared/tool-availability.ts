// checkAvailability: a day → the clinic's free starts that day, spoken as one line, through
// one read-only RPC. A day is all it needs: it never asks for a time.
import { parseAvailabilityArguments } from './booking-args.ts';
import { codeForField, isBookingErrorCode } from './codes.ts';
import { clinicCalendar, formatIsoDay, understandDay, type CalendarDay } from './dates.ts';
import { availabilityMessage, clarificationMessage, errorMessage } from './speech.ts';
import type { BookingDatabase, OrgContext } from './booking-db.ts';
import type { ToolOutcome } from './tool-result.ts';
import { timed } from './timing.ts';

export async function runAvailabilityTool(
  db: BookingDatabase,
  input: { args: Record<string, unknown> | null; org: OrgContext; now: Date },
): Promise<ToolOutcome> {
  const { org, now } = input;
  const fail = (code: Parameters<typeof errorMessage>[0], rpcMs = 0, latestDate?: CalendarDay): ToolOutcome => ({
    outcome: code,
    text: errorMessage(code, { timeZone: org.timeZone, now, ...(latestDate ? { latestDate } : {}) }),
    rpcMs,
  });

  const parsed = parseAvailabilityArguments(input.args);
  if (!parsed.ok) return fail(codeForField(parsed.field));
  const day = understandDay(parsed.value.date, clinicCalendar(org), now);
  if (day.kind === 'ask') return { outcome: 'NEEDS_CLARIFICATION', text: clarificationMessage(day.question), rpcMs: 0 };
  if (day.kind === 'refuse') return fail(day.code, 0, day.code === 'BEYOND_HORIZON' ? day.latestDate : undefined);

  const { value: reply, ms: rpcMs } = await timed(() =>
    db.checkAvailability(org.orgId, formatIsoDay(day.day), parsed.value.durationMinutes ?? org.defaultDurationMinutes));
  if (!reply.success) return fail(isBookingErrorCode(reply.code) ? reply.code : 'UNAVAILABLE', rpcMs);
  return { outcome: 'AVAILABILITY', text: availabilityMessage(day.day, reply.slots, org.timeZone, { now }), rpcMs };
}
