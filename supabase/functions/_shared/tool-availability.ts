// checkAvailability: a day → the clinic's free starts that day, spoken as one line, through
// one read-only RPC. A day is all it needs: it never asks for a time.
import { parseAvailabilityArguments } from './booking-args.ts';
import { findService } from './catalogue.ts';
import { failed } from './tool-result.ts';
import { codeForField, isBookingErrorCode } from './codes.ts';
import { clinicCalendar, formatIsoDay, understandDay, type CalendarDay } from './dates.ts';
import { availabilityMessage, clarificationMessage, errorMessage } from './speech.ts';
import type { BookingDatabase, OrgContext } from './booking-db.ts';
import type { ToolOutcome } from './tool-result.ts';
import type { ToolInput } from './tool-input.ts';
import { timed } from './timing.ts';

export async function runAvailabilityTool(
  db: BookingDatabase,
  input: Pick<ToolInput, 'args' | 'org' | 'now'>,
): Promise<ToolOutcome> {
  const { org, now } = input;
  const fail = (code: Parameters<typeof errorMessage>[0], rpcMs = 0, latestDate?: CalendarDay): ToolOutcome => ({
    outcome: code,
    text: errorMessage(code, { timeZone: org.timeZone, now, ...(latestDate ? { latestDate } : {}) }),
    rpcMs,
  });

  const parsed = parseAvailabilityArguments(input.args);
  if (!parsed.ok) return fail(codeForField(parsed.field));
  // A service from the clinic's catalogue sets the length of the free times looked for.
  const spokenService = parsed.value.serviceType;
  const service = spokenService === undefined || org.services.length === 0 ? undefined : findService(spokenService, org.services);
  if (spokenService !== undefined && org.services.length > 0 && service === undefined) {
    return failed('UNKNOWN_SERVICE', org, now, { services: org.services.map((s) => s.name) });
  }
  const day = understandDay(parsed.value.date, clinicCalendar(org), now);
  if (day.kind === 'ask') return { outcome: 'NEEDS_CLARIFICATION', text: clarificationMessage(day.question), rpcMs: 0 };
  if (day.kind === 'refuse') return fail(day.code, 0, day.code === 'BEYOND_HORIZON' ? day.latestDate : undefined);

  // A catalogue service goes to the database by name: its length and buffers, and who offers it,
  // decide which starts are free. A length the caller asked for wins over the service's.
  const { value: reply, ms: rpcMs } = await timed(() =>
    db.checkAvailability(org.orgId, formatIsoDay(day.day), service
      ? { durationMinutes: parsed.value.durationMinutes, serviceType: service.name }
      : { durationMinutes: parsed.value.durationMinutes ?? org.defaultDurationMinutes }));
  if (!reply.success) return fail(isBookingErrorCode(reply.code) ? reply.code : 'UNAVAILABLE', rpcMs);
  return { outcome: 'AVAILABILITY', text: availabilityMessage(day.day, reply.slots, org.timeZone, { now }), rpcMs };
}
