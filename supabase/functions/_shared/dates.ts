// Decides which instant a caller meant, in the clinic's time zone, with the clock injected.
//
// Rules (DESIGN.md "Dates"):
// - Wall-clock text is read in the clinic's IANA zone. Text with an offset or Z is an instant:
//   it is converted to clinic wall time first and then goes through the same rules, because
//   models stamp "Z" on local times as often as they hallucinate the year.
// - No year → the clinic's current year. A year before the clinic's current year → the current
//   year ('stale_year').
// - A calendar day before the clinic's today → the same day next year ('past_date'). When a
//   stale year is corrected and the day has then still passed, the result is 'past_date': the
//   last rule that moved the date names it, and both mean "say the full date back".
// - A time earlier *today* is NOT moved a year ahead (nobody means "11 am, next year" when it
//   is 3 pm): it is returned as is and the booking function answers PAST_TIME.
// - February 29 that lands on a year without one (after a year correction, or a missing year)
//   is INVALID_DATE, so the assistant asks again instead of booking a day nobody said.
// - Nonexistent local times (spring-forward gap) move forward by the gap (02:30 → 03:30), and
//   ambiguous ones (fall-back) take the first occurrence, the earlier instant — the same choice
//   as Temporal's "compatible" disambiguation. luxon alone picks the later one, hence
//   wallTimeToInstant below.

// luxon ships no types; without this Deno would type it as `any` (tsc finds @types/luxon itself).
// @ts-types="npm:@types/luxon@^3.7.6"
import { DateTime, IANAZone } from 'luxon';
import {
  isRealDay,
  parseDateText,
  parseDateTimeInput,
  parseIsoDateTime,
  type DateExpr,
  type TimeParts,
} from './date-parse.ts';

export type DateCorrection = 'none' | 'stale_year' | 'past_date';

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export type ResolvedTime =
  | { ok: true; start: Date; correction: DateCorrection }
  | { ok: false; code: 'INVALID_DATE' };

export type ResolvedDay =
  | { ok: true; day: CalendarDay; correction: DateCorrection }
  | { ok: false; code: 'INVALID_DATE' };

const INVALID = { ok: false, code: 'INVALID_DATE' } as const;
const DAY_MS = 86_400_000;

function assertClock(timeZone: string, now: Date): void {
  // Both come from our own configuration, not from the caller: a bad value is a bug to surface.
  if (!IANAZone.isValidZone(timeZone)) throw new RangeError('invalid clinic time zone');
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid clock value');
}

/** The clinic's calendar day at `now`. */
export function clinicToday(now: Date, timeZone: string): CalendarDay {
  const local = DateTime.fromMillis(now.getTime(), { zone: timeZone });
  return { year: local.year, month: local.month, day: local.day };
}

function dayKey(d: CalendarDay): number {
  return d.year * 10_000 + d.month * 100 + d.day;
}

function addDays(d: CalendarDay, days: number): CalendarDay {
  const shifted = DateTime.fromObject(d, { zone: 'utc' }).plus({ days });
  return { year: shifted.year, month: shifted.month, day: shifted.day };
}

function applyYearRules(
  date: { year: number | undefined; month: number; day: number },
  today: CalendarDay,
): { day: CalendarDay; correction: DateCorrection } | null {
  let correction: DateCorrection = 'none';
  let year = date.year ?? today.year;
  if (year < today.year) {
    year = today.year;
    correction = 'stale_year';
  }
  if (!isRealDay(year, date.month, date.day)) return null;
  if (dayKey({ year, month: date.month, day: date.day }) < dayKey(today)) {
    year += 1;
    correction = 'past_date';
    if (!isRealDay(year, date.month, date.day)) return null;
  }
  return { day: { year, month: date.month, day: date.day }, correction };
}

function materialize(date: DateExpr, today: CalendarDay): { year: number | undefined; month: number; day: number } {
  return date.kind === 'relative' ? addDays(today, date.offsetDays) : date;
}

function offsetAt(epochMs: number, timeZone: string): number {
  return DateTime.fromMillis(epochMs, { zone: timeZone }).offset;
}

/** Wall time in a zone → instant, with the gap/overlap policy described at the top. */
export function wallTimeToInstant(day: CalendarDay, time: TimeParts, timeZone: string): Date {
  const asUtc = DateTime.fromObject({ ...day, ...time }, { zone: 'utc' }).toMillis();
  // Offsets a day either side bracket any single transition near this wall time.
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const matches = [before, after]
    .map((offset) => ({ offset, instant: asUtc - offset * 60_000 }))
    .filter(({ offset, instant }) => offsetAt(instant, timeZone) === offset)
    .map(({ instant }) => instant);
  if (matches.length > 0) return new Date(Math.min(...matches));
  // In the gap: keep the pre-transition offset, which lands after the gap by its length.
  return new Date(asUtc - before * 60_000);
}

function wallOf(epochMs: number, timeZone: string): { date: CalendarDay; time: TimeParts } {
  const local = DateTime.fromMillis(epochMs, { zone: timeZone });
  return {
    date: { year: local.year, month: local.month, day: local.day },
    time: { hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond },
  };
}

export function resolveAppointmentTime(
  input: { scheduledAt?: string | undefined; date?: string | undefined; time?: string | undefined },
  timeZone: string,
  now: Date,
): ResolvedTime {
  assertClock(timeZone, now);
  const parsed = parseDateTimeInput(input);
  if (!parsed) return INVALID;
  const today = clinicToday(now, timeZone);

  const wall =
    parsed.kind === 'instant'
      ? wallOf(parsed.epochMs, timeZone)
      : { date: materialize(parsed.date, today), time: parsed.time };
  const resolved = applyYearRules(wall.date, today);
  if (!resolved) return INVALID;
  return { ok: true, start: wallTimeToInstant(resolved.day, wall.time, timeZone), correction: resolved.correction };
}

/** Same rules for a day without a time (the availability tool); today is not "past". */
export function resolveAppointmentDay(date: string | undefined, timeZone: string, now: Date): ResolvedDay {
  assertClock(timeZone, now);
  if (date === undefined || date.length > 100) return INVALID;
  const today = clinicToday(now, timeZone);
  const text = parseDateText(date);
  let calendar: { year: number | undefined; month: number; day: number } | null = null;
  if (text) {
    calendar = materialize(text, today);
  } else {
    const iso = parseIsoDateTime(date);
    if (iso) calendar = iso.kind === 'instant' ? wallOf(iso.epochMs, timeZone).date : materialize(iso.date, today);
  }
  if (!calendar) return INVALID;
  const resolved = applyYearRules(calendar, today);
  return resolved ? { ok: true, ...resolved } : INVALID;
}
