// checkAvailability: a day → the clinic's free starts that day, spoken as one line, through
// one read-only RPC. A day is all it needs: it never asks for a time.
import { parseAvailabilityArguments } from './booking-args.ts';
import { findService } from './catalogue.ts';
import { asked, failed, refusedByDatabase } from './tool-result.ts';
import { codeForField } from './codes.ts';
import { clinicCalendar, formatIsoDay, understandDay } from './dates.ts';
import { availabilityMessage } from './speech.ts';
import type { BookingDatabase } from './booking-db.ts';
import type { ToolOutcome } from './tool-result.ts';
import type { ToolInput } from './tool-input.ts';
import { timed } from './timing.ts';

export async function runAvailabilityTool(
  db: BookingDatabase,
  input: Pick<ToolInput, 'args' | 'org' | 'now'>,
): Promise<ToolOutcome> {
  const { org, now } = input;

  const parsed = parseAvailabilityArguments(input.args);
  if (!parsed.ok) return failed(codeForField(parsed.field), org, now);
  // A service from the clinic's catalogue sets the length of the free times looked for.
  const spokenService = parsed.value.serviceType;
  const service = spokenService === undefined || org.services.length === 0 ? undefined : findService(spokenService, org.services);
  if (spokenService !== undefined && org.services.length > 0 && service === undefined) {
    return failed('UNKNOWN_SERVICE', org, now, { services: org.services.map((s) => s.name) });
  }
  const day = understandDay(parsed.value.date, clinicCalendar(org), now);
  if (day.kind === 'ask') return asked(day.question);
  if (day.kind === 'refuse') return failed(day.code, org, now, day.code === 'BEYOND_HORIZON' ? { latestDate: day.latestDate } : {});

  // A catalogue service goes to the database by name: its length and buffers, and who offers it,
  // decide which starts are free. A length the caller asked for wins over the service's.
  const { value: reply, ms: rpcMs } = await timed(() =>
    db.checkAvailability(org.orgId, formatIsoDay(day.day), service
      ? { durationMinutes: parsed.value.durationMinutes, serviceType: service.name }
      : { durationMinutes: parsed.value.durationMinutes ?? org.defaultDurationMinutes }));
  if (!reply.success) return refusedByDatabase({ ...reply, alternatives: [] }, org, now, rpcMs);
  return { outcome: 'AVAILABILITY', text: availabilityMessage(day.day, reply.slots, org.timeZone, { now }), rpcMs };
}
