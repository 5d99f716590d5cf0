// Turns what a caller said about WHEN (the tool's scheduledAt / date / time text), the clinic
// (time zone, country, opening hours, booking horizon) and the call's "now" into exactly one
// of: an instant (or, for the availability tool, a clinic-local day), a question to ask back,
// or a refusal. docs/dates.md is the long form of every rule below; the golden table
// (tests/golden/dates.json) is the executable one.
//
// Who does what:
// - Our own rules (this file): weekday words and this/next, "the 18th", slash dates by the
//   clinic's country, clock times and am/pm, number words and "half past"/"quarter to", year
//   corrections, the horizon, the DST rule, and every ambiguity (asked, never guessed).
// - chrono-node: month-name dates in any order ("Dec. 18th, 2026", "18th of December") and
//   relative phrases ("tomorrow", "in two weeks", "a week from now"). It is run against the
//   clinic's wall clock presented as UTC, so its day arithmetic happens on the clinic calendar.
// - A guard: after both have read the text, anything meaningful left over means we did not
//   understand it, and we refuse rather than book a day nobody said.
//
// DST (the one rule, shared with the SQL): a wall time in the spring-forward gap moves forward
// by the gap (02:30 → 03:30); a wall time that occurs twice means the EARLIER instant.

// luxon ships no types; without this Deno would type it as `any` (tsc finds @types/luxon itself).
// @ts-types="npm:@types/luxon@^3.7.6"
import { DateTime, IANAZone } from 'luxon';
import * as chrono from 'chrono-node';

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export interface BusinessWindow {
  /** ISO weekday, Monday = 1. */
  weekday: number;
  opensAt: string;
  /** At or before opensAt: the window closes on the next day (equal = 24 hours). */
  closesAt: string;
}

export interface ClinicCalendar {
  timeZone: string;
  /** ISO 3166 alpha-2: decides how slash dates are read. */
  country: string;
  businessHours: readonly BusinessWindow[];
  horizonDays: number;
}

/** The parts of a clinic (an OrgContext) that decide what a caller's words mean. */
export function clinicCalendar(org: {
  timeZone: string;
  defaultCountry: string;
  businessHours: readonly BusinessWindow[];
  horizonDays: number;
}): ClinicCalendar {
  return { timeZone: org.timeZone, country: org.defaultCountry, businessHours: org.businessHours, horizonDays: org.horizonDays };
}

export interface Said {
  scheduledAt?: string | undefined;
  date?: string | undefined;
  time?: string | undefined;
}

export type DateCorrection = 'none' | 'stale_year' | 'past_date';

/** What the answer must mention so the caller can object. */
export type DateNote =
  | { kind: 'none' }
  // "next Tuesday" skipped a nearer Tuesday in the current week: say which one was taken.
  | { kind: 'next_week'; skipped: CalendarDay };

export type Question =
  | { kind: 'weekday_mismatch'; said: CalendarDay; saidWeekday: number; nearest: CalendarDay }
  | { kind: 'am_or_pm'; day: CalendarDay; hour: number; minute: number }
  | { kind: 'day_or_month_first'; first: CalendarDay; second: CalendarDay }
  | { kind: 'today_or_next_week'; today: CalendarDay; nextWeek: CalendarDay }
  | { kind: 'which_time'; day: CalendarDay }
  | { kind: 'which_day'; month?: number }
  | { kind: 'no_such_day'; month: number; day: number; year: number };

export type Refusal =
  | { kind: 'refuse'; code: 'INVALID_DATE' | 'PAST_TIME' }
  | { kind: 'refuse'; code: 'BEYOND_HORIZON'; latestDate: CalendarDay };

export type UnderstoodTime =
  | { kind: 'instant'; start: Date; correction: DateCorrection; note: DateNote }
  | { kind: 'ask'; question: Question }
  | Refusal;

export type UnderstoodDay =
  | { kind: 'day'; day: CalendarDay; correction: DateCorrection; note: DateNote }
  | { kind: 'ask'; question: Question }
  | Refusal;

interface Clock {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Used when a clinic lists no opening hours: a plain clinic day. */
const FALLBACK_WINDOW = { opens: 7 * 60, closes: 19 * 60 } as const;
const MAX_TEXT = 100;
const DAY_MS = 86_400_000;
const INVALID: Refusal = { kind: 'refuse', code: 'INVALID_DATE' };
const NO_NOTE: DateNote = { kind: 'none' };

// ---------------------------------------------------------------------------------------------
// Calendar helpers (no time zone involved)

function utcMs(day: CalendarDay, clock: Clock = { hour: 0, minute: 0, second: 0, millisecond: 0 }): number {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto the 1900s.
  d.setUTCFullYear(day.year, day.month - 1, day.day);
  d.setUTCHours(clock.hour, clock.minute, clock.second, clock.millisecond);
  return d.getTime();
}

export function isRealDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  const d = new Date(utcMs({ year, month, day }));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function addDays(d: CalendarDay, days: number): CalendarDay {
  const shifted = new Date(utcMs(d) + days * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function compareDays(a: CalendarDay, b: CalendarDay): number {
  return (a.year - b.year) || (a.month - b.month) || (a.day - b.day);
}

/** ISO weekday, Monday = 1. */
export function isoWeekday(d: CalendarDay): number {
  const js = new Date(utcMs(d)).getUTCDay();
  return js === 0 ? 7 : js;
}

export function dayFromIso(iso: string): CalendarDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}

export function formatIsoDay(d: CalendarDay): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Time-zone helpers

function assertClinic(clinic: ClinicCalendar, now: Date): void {
  // Both come from our own configuration, not from the caller: a bad value is a bug to surface.
  if (!IANAZone.isValidZone(clinic.timeZone)) throw new RangeError('invalid clinic time zone');
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid clock value');
}

/** The clinic's calendar day at `now`. */
export function clinicToday(now: Date, timeZone: string): CalendarDay {
  const local = DateTime.fromMillis(now.getTime(), { zone: timeZone });
  return { year: local.year, month: local.month, day: local.day };
}

function offsetAt(epochMs: number, timeZone: string): number {
  return DateTime.fromMillis(epochMs, { zone: timeZone }).offset;
}

/** Every instant at which the clinic's clocks show this wall time (0, 1 or 2 of them). */
function instantsOfWallTime(day: CalendarDay, clock: Clock, timeZone: string): { asUtc: number; before: number; matches: number[] } {
  const asUtc = utcMs(day, clock);
  // Offsets a day either side bracket any single transition near this wall time.
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => offsetAt(instant, timeZone) * 60_000 === asUtc - instant)
    .sort((a, b) => a - b);
  return { asUtc, before, matches };
}

/** Wall time in a zone → instant, by the one DST rule (gap: forward; repeated: earlier). */
export function wallTimeToInstant(day: CalendarDay, clock: Clock, timeZone: string): Date {
  const { asUtc, before, matches } = instantsOfWallTime(day, clock, timeZone);
  const first = matches[0];
  if (first !== undefined) return new Date(first);
  // In the gap: keep the pre-transition offset, which lands after the gap by its length.
  return new Date(asUtc - before * 60_000);
}

/** For an instant whose wall time occurs twice that day: which occurrence it is. */
export function repeatedWallTime(instant: Date, timeZone: string): 'first' | 'second' | null {
  const local = DateTime.fromMillis(instant.getTime(), { zone: timeZone });
  const { matches } = instantsOfWallTime(
    { year: local.year, month: local.month, day: local.day },
    { hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond },
    timeZone,
  );
  if (matches.length < 2) return null;
  return matches[0] === instant.getTime() ? 'first' : 'second';
}

function wallOf(epochMs: number, timeZone: string): { day: CalendarDay; clock: Clock } {
  const local = DateTime.fromMillis(epochMs, { zone: timeZone });
  return {
    day: { year: local.year, month: local.month, day: local.day },
    clock: { hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond },
  };
}

// ---------------------------------------------------------------------------------------------
// Words → a canonical text our patterns and chrono read

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50 };
const ORDINAL_UNITS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

const WORD_ORDINAL = new RegExp(`\\b(?:(twenty|thirty)[\\s-])?(${Object.keys(ORDINAL_UNITS).join('|')})\\b`, 'g');
const WORD_COMPOUND = new RegExp(`\\b(${Object.keys(TENS).join('|')})[\\s-](${Object.keys(UNITS).filter((w) => (UNITS[w] ?? 0) >= 1 && (UNITS[w] ?? 0) <= 9).join('|')})\\b`, 'g');
const WORD_SINGLE = new RegExp(`\\b(${[...Object.keys(UNITS).filter((w) => w !== 'oh' && w !== 'zero'), ...Object.keys(TENS)].join('|')})\\b`, 'g');

function numberWordsToDigits(text: string): string {
  return text
    // "twenty first" → "21st"; a lone "second" only when it reads as a day ("the second").
    .replace(WORD_ORDINAL, (whole, tens: string | undefined, unit: string) => {
      if (unit === 'second' && !tens && !/\bthe\s+second\b|\bsecond\s+of\b/.test(text)) return whole;
      const n = (tens ? (TENS[tens] ?? 0) : 0) + (ORDINAL_UNITS[unit] ?? 0);
      return `${n}${ordinalSuffix(n)}`;
    })
    .replace(WORD_COMPOUND, (_w, tens: string, unit: string) => String((TENS[tens] ?? 0) + (UNITS[unit] ?? 0)))
    // "three oh five" → "3 05"
    .replace(/\b(\w+)\s+oh\s+(\w+)\b/g, (whole, h: string, m: string) =>
      (UNITS[h] !== undefined || /^\d{1,2}$/.test(h)) && UNITS[m] !== undefined && (UNITS[m] ?? 10) <= 9
        ? `${UNITS[h] ?? h} 0${UNITS[m] ?? ''}`
        : whole)
    .replace(WORD_SINGLE, (w: string) => String(UNITS[w] ?? TENS[w] ?? w));
}

const WEEKDAYS: ReadonlyArray<readonly [number, RegExp]> = [
  [1, /^mon(?:day)?$/], [2, /^tue(?:s|sday)?$/], [3, /^wed(?:s|nesday)?$/], [4, /^thu(?:r|rs|rsday)?$/],
  [5, /^fri(?:day)?$/], [6, /^sat(?:urday)?$/], [7, /^sun(?:day)?$/],
];
const WEEKDAY_WORD = 'monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun';

function weekdayNumber(word: string): number | undefined {
  return WEEKDAYS.find(([, pattern]) => pattern.test(word))?.[0];
}

function hourBefore(hour: number): number {
  return hour === 1 ? 12 : hour - 1;
}

/** Lowercase, one space, spoken forms rewritten to the forms the readers below understand. */
function canonical(raw: string): string {
  let t = raw.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim();
  t = t.replace(/\b([ap])\.\s?m\.?(?=\s|$|,)/g, '$1m').replace(/\bo'?\s?clock\b/g, "o'clock");
  t = numberWordsToDigits(t);
  t = t
    .replace(/\b(?:12\s+)?(?:noon|midday)\b/g, '12:00 pm')
    .replace(/\b(?:12\s+)?midnight\b/g, '00:00')
    .replace(/\bhalf\s+past\s+(\d{1,2})\b/g, '$1:30')
    .replace(/\b(?:a\s+)?quarter\s+past\s+(\d{1,2})\b/g, '$1:15')
    .replace(/\b(?:a\s+)?quarter\s+(?:to|of)\s+(\d{1,2})\b/g, (_w, h: string) => `${hourBefore(Number(h))}:45`)
    .replace(/\b(\d{1,2})\s+(?:minutes?\s+)?past\s+(\d{1,2})\b/g, (w, m: string, h: string) =>
      Number(m) < 60 ? `${h}:${m.padStart(2, '0')}` : w)
    .replace(/\b(\d{1,2})\s+(?:minutes\s+)?to\s+(\d{1,2})\b/g, (w, m: string, h: string) =>
      Number(m) > 0 && Number(m) <= 30 && Number(h) <= 12 ? `${hourBefore(Number(h))}:${String(60 - Number(m)).padStart(2, '0')}` : w)
    .replace(/\bhalf\s+(\d{1,2})\b/g, '$1:30') // British "half two"
    .replace(/\b(\d{1,2}(?::\d{2})?)\s*o'clock\b/g, '$1')
    .replace(/\b(\d{1,2}(?::\d{2})?)\s*(?:in the morning)\b/g, '$1 am')
    .replace(/\b(\d{1,2}(?::\d{2})?)\s*(?:in the afternoon|in the evening|at night|tonight)\b/g, '$1 pm')
    .replace(/\b(\d{1,2}(?::\d{2})?)\s*([ap])m?\b/g, '$1 $2m')
    .replace(/\b(?:the\s+)?day\s+after\s+tomorrow\b/g, 'in 2 days')
    .replace(/\b(?:a|1)\s+week\s+(?:from\s+)?(?:today|now)\b/g, 'in 7 days')
    .replace(/\b(?:in\s+)?a\s+fortnight\b/g, 'in 2 weeks')
    .replace(/\bin\s+a\s+(day|week)\b/g, 'in 1 $1s')
    .replace(new RegExp(`\\bnext\\s+week\\s*,?\\s*(?:on\\s+)?(${WEEKDAY_WORD})\\b`, 'g'), 'next $1')
    .replace(new RegExp(`\\b(?:this\\s+)?(${WEEKDAY_WORD})\\s*,?\\s+(?:of\\s+)?next\\s+week\\b`, 'g'), 'next $1')
    .replace(new RegExp(`\\b(?:this\\s+)?coming\\s+(${WEEKDAY_WORD})\\b`, 'g'), 'this $1')
    .replace(/\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+the\s+(\d{1,2}(?:st|nd|rd|th)?)\b/g, '$1 $2')
    .replace(/'(\d{2})\b/g, '20$1')
    // "two thirty" became "2 30": a clock time when it stands alone, follows "at" or has am/pm.
    .replace(/(^|\bat\s+)(\d{1,2})\s(\d{2})\b(?!\s*\d)/g, '$1$2:$3')
    .replace(/\b(\d{1,2})\s(\d{2})\s?(am|pm)\b/g, '$1:$2 $3');
  return t.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Reading the pieces

type DayExpr =
  // A day the caller named outright; the year rules apply.
  | { kind: 'absolute'; year: number | undefined; month: number; day: number }
  // A day counted from today ("tomorrow", "in two weeks"): never moved a year.
  | { kind: 'relative'; day: CalendarDay }
  | { kind: 'weekday'; weekday: number; modifier: 'bare' | 'this' | 'next' | 'week_after' | 'last' }
  | { kind: 'day_of_month'; day: number }
  | { kind: 'month_only'; month: number }
  | { kind: 'ambiguous_slash'; first: { month: number; day: number; year: number | undefined }; second: { month: number; day: number; year: number | undefined } };

type ClockExpr = { clock: Clock; certain: boolean };

interface Reading {
  day?: DayExpr;
  /** The weekday said next to a date ("Friday, December 17"), to check against it. */
  weekday?: number;
  clock?: ClockExpr;
}

type SlashOrder = 'day_first' | 'month_first' | 'ask';
// Countries that write the month first; everywhere else the day comes first, except where
// year-first writing makes a two-number date unclear: there we ask.
const MONTH_FIRST = new Set(['US', 'CA', 'PH', 'FM', 'MH', 'PW', 'GU', 'AS', 'MP', 'PR', 'VI', 'UM', 'BZ']);
const ASK_ORDER = new Set(['CN', 'JP', 'KR', 'KP', 'TW', 'MN', 'HU', 'LT', 'IR']);

export function slashOrder(country: string): SlashOrder {
  const c = country.toUpperCase();
  if (MONTH_FIRST.has(c)) return 'month_first';
  return ASK_ORDER.has(c) ? 'ask' : 'day_first';
}

function fullYear(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Two-digit years are read in this century; the year and horizon rules then apply.
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

// A bare four-digit "1100" is refused on purpose: it is indistinguishable from a year.
const CLOCK_PATTERN = /(?:\bat\s+)?\b(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2}))?(?:\s*(am|pm)\b)?/;

function readClock(text: string, mustBeWhole: boolean): { expr: ClockExpr; rest: string } | null | 'invalid' {
  // A number is a clock time when it has minutes, am/pm, or is the whole time field.
  // Never a piece of a dotted or slashed date ("18.12.2026", "5/12").
  const patterns = [
    /(?:\bat\s+)?(?<![\d/.-])\b(\d{1,2})(?:[:.h](\d{2}))(?::(\d{2}))?(?![\d/.-]*\d)(?:\s*(am|pm)\b)?/,
    /(?:\bat\s+)?(?<![\d/.-])\b(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2}))?\s*(am|pm)\b/,
    /\bat\s+(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2}))?(?:\s*(am|pm)\b)?(?![\w/.-])/,
  ];
  let m: RegExpExecArray | null = null;
  if (mustBeWhole) {
    m = new RegExp(`^${CLOCK_PATTERN.source}$`).exec(text);
    if (!m) return 'invalid';
  } else {
    for (const p of patterns) {
      m = p.exec(text);
      if (m) break;
    }
    if (!m) return null;
  }
  const hourText = m[1] ?? '';
  const hour = Number(hourText);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  const meridiem = m[4];
  if (minute > 59 || second > 59) return 'invalid';
  let clock: Clock;
  let certain: boolean;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return 'invalid';
    clock = { hour: (hour % 12) + (meridiem === 'pm' ? 12 : 0), minute, second, millisecond: 0 };
    certain = true;
  } else {
    if (hour > 23) return 'invalid';
    clock = { hour, minute, second, millisecond: 0 };
    // "14:00", "0:30" and "07:30" are 24-hour clock readings; "7:30" and "7" are not.
    certain = hour === 0 || hour > 12 || (hourText.length === 2 && hourText.startsWith('0'));
  }
  const rest = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`;
  return { expr: { clock, certain }, rest };
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:(?:t|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?)?$/;

type IsoReading =
  | { kind: 'instant'; epochMs: number }
  | { kind: 'wall'; day: { year: number; month: number; day: number }; clock: Clock | undefined };

function offsetMinutes(text: string): number | null {
  if (text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 18 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** ISO-8601-like "YYYY-MM-DD[[T ]HH:MM[:SS[.fff]][Z|±HH[:MM]]]"; 'invalid' when it looks ISO but is not a real time. */
function readIso(text: string): IsoReading | null | 'invalid' {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!isRealDay(day.year, day.month, day.day)) return 'invalid';
  if (m[4] === undefined) return { kind: 'wall', day, clock: undefined };
  const clock: Clock = {
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
    millisecond: m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000),
  };
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 59) return 'invalid';
  if (m[8] === undefined) return { kind: 'wall', day, clock };
  const offset = offsetMinutes(m[8]);
  if (offset === null) return 'invalid';
  return { kind: 'instant', epochMs: utcMs(day, clock) - offset * 60_000 };
}

const YEAR_FIRST_SLASH = /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/;
const SLASH = /\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?\b/;

function readSlashDate(text: string, country: string): { expr: DayExpr; rest: string } | null | 'invalid' {
  const ymd = YEAR_FIRST_SLASH.exec(text);
  if (ymd) {
    const expr: DayExpr = { kind: 'absolute', year: Number(ymd[1]), month: Number(ymd[2]), day: Number(ymd[3]) };
    return { expr, rest: text.replace(ymd[0], ' ') };
  }
  const m = SLASH.exec(text);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  const year = fullYear(m[3]);
  const rest = text.replace(m[0], ' ');
  const dayFirst = { kind: 'absolute', year, month: b, day: a } as const;
  const monthFirst = { kind: 'absolute', year, month: a, day: b } as const;
  const fitsDayFirst = b >= 1 && b <= 12 && a >= 1 && a <= 31;
  const fitsMonthFirst = a >= 1 && a <= 12 && b >= 1 && b <= 31;
  if (!fitsDayFirst && !fitsMonthFirst) return 'invalid';
  const order = slashOrder(country);
  // When only one reading is a date at all ("18/12" in the US), it is the one meant.
  if (!fitsDayFirst) return { expr: monthFirst, rest };
  if (!fitsMonthFirst) return { expr: dayFirst, rest };
  if (order === 'day_first') return { expr: dayFirst, rest };
  if (order === 'month_first') return { expr: monthFirst, rest };
  if (fitsDayFirst && fitsMonthFirst && a !== b) {
    return { expr: { kind: 'ambiguous_slash', first: monthFirst, second: dayFirst }, rest };
  }
  return { expr: fitsMonthFirst ? monthFirst : dayFirst, rest };
}

function readWeekday(text: string): { weekday: number; modifier: 'bare' | 'this' | 'next' | 'week_after' | 'last'; rest: string } | null {
  const m = new RegExp(`\\b(?:(this|next|last|on)\\s+)?(${WEEKDAY_WORD})\\.?\\b(\\s+week\\b)?`).exec(text);
  if (!m) return null;
  const weekday = weekdayNumber(m[2] ?? '');
  if (weekday === undefined) return null;
  const word = m[1];
  const modifier = m[3] ? 'week_after' : word === 'this' ? 'this' : word === 'next' ? 'next' : word === 'last' ? 'last' : 'bare';
  return { weekday, modifier, rest: text.replace(m[0], ' ') };
}

function readDayOfMonth(text: string): { day: number; rest: string } | null {
  const m = /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b(?!\s+of\b)/.exec(text) ?? /^(?:on\s+)?the\s+(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  return { day: Number(m[1]), rest: text.replace(m[0], ' ') };
}

/** chrono's reading of month-name dates and relative phrases, against the clinic wall clock. */
function readWithChrono(text: string, today: CalendarDay): { expr: DayExpr; rest: string } | 'which_day' | null {
  const reference = { instant: new Date(utcMs(today, { hour: 12, minute: 0, second: 0, millisecond: 0 })), timezone: 0 };
  const results = chrono.en.casual.parse(text, reference);
  const result = results[0];
  if (!result || results.length > 1) return null;
  const c = result.start;
  const rest = `${text.slice(0, result.index)} ${text.slice(result.index + result.text.length)}`;
  const tags = [...result.tags()];
  const relative = tags.some((tag) => tag === 'result/relativeDate' || tag.startsWith('casualReference/'));
  if (c.isCertain('hour') && !c.isCertain('day')) return null; // a time chrono found: ours to read
  if (relative) {
    const month = c.get('month');
    const year = c.get('year');
    // "next month": a span, not a day.
    if (!c.isCertain('day') || month === null || year === null) return 'which_day';
    return { expr: { kind: 'relative', day: { year, month, day: c.get('day') ?? 0 } }, rest };
  }
  const month = c.get('month');
  if (month === null || !c.isCertain('month')) return null;
  if (!c.isCertain('day')) return { expr: { kind: 'month_only', month }, rest };
  const year = c.isCertain('year') ? (c.get('year') ?? undefined) : undefined;
  return { expr: { kind: 'absolute', year: year !== undefined && year < 100 ? 2000 + year : year, month, day: c.get('day') ?? 0 }, rest };
}

// What may be left once every piece is read: filler, never a number or a name.
const FILLER = /\b(?:on|the|at|of|for|in|please|around|about|say|by|this|day|a|an|and|from|then|is|it|for|maybe|how|would|be|ok|okay|sometime|some|time)\b/g;

function leftoverIsFiller(rest: string): boolean {
  return rest.replace(FILLER, ' ').replace(/[\s,.;:!?@-]+/g, '') === '';
}

/** Reads date text (which may also carry a time) and the separate time text, if any. */
function read(dateText: string, timeText: string | undefined, country: string, today: CalendarDay): Reading | 'invalid' | 'which_day' {
  const reading: Reading = {};
  let rest = canonical(dateText);

  if (timeText !== undefined) {
    const clock = readClock(canonical(timeText).replace(/^at\s+/, ''), true);
    if (clock === 'invalid' || clock === null) return 'invalid';
    reading.clock = clock.expr;
    // The date text may repeat the time ("tomorrow at 10" + "10am"); a different one is a contradiction.
    const repeated = readClock(rest, false);
    if (repeated === 'invalid') return 'invalid';
    if (repeated) {
      const same = repeated.expr.clock.minute === clock.expr.clock.minute
        && repeated.expr.clock.hour % 12 === clock.expr.clock.hour % 12;
      if (!same) return 'invalid';
      rest = repeated.rest;
    }
  } else {
    const clock = readClock(rest, false);
    if (clock === 'invalid') return 'invalid';
    if (clock) {
      reading.clock = clock.expr;
      rest = clock.rest;
    }
  }

  if (/\bnext\s+week\b/.test(rest) && !new RegExp(`\\b(?:${WEEKDAY_WORD})\\b`).test(rest)) return 'which_day';
  // "the first Monday of July", "the 2nd Tuesday": a rule we do not apply; refused, not guessed.
  if (new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)\\s+(?:${WEEKDAY_WORD})\\b|\\b(?:${WEEKDAY_WORD})\\s+after\\s+next\\b`).test(rest)) return 'invalid';
  // "tomorrow morning" / "tonight" settle am or pm for a bare "7".
  const part = /\b(?:morning)\b/.test(rest) ? 'am' : /\b(?:afternoon|evening|tonight)\b/.test(rest) ? 'pm' : undefined;
  if (part && reading.clock && !reading.clock.certain) {
    const hour = (reading.clock.clock.hour % 12) + (part === 'pm' ? 12 : 0);
    reading.clock = { clock: { ...reading.clock.clock, hour }, certain: true };
  }

  const weekday = readWeekday(rest);
  if (weekday) rest = weekday.rest;

  const slash = readSlashDate(rest, country);
  if (slash === 'invalid') return 'invalid';
  if (slash) {
    reading.day = slash.expr;
    rest = slash.rest;
  } else {
    // chrono refuses a February 29 its reference year lacks; we want to ask about it instead.
    const leapDay = /\b(?:feb(?:ruary)?\.?\s+(?:the\s+)?29(?:th)?|29(?:th)?\s+(?:of\s+)?feb(?:ruary)?)\b(?:,?\s+(\d{4}))?/.exec(rest);
    const viaChrono = leapDay
      ? { expr: { kind: 'absolute', year: leapDay[1] === undefined ? undefined : Number(leapDay[1]), month: 2, day: 29 } as const, rest: rest.replace(leapDay[0], ' ') }
      : readWithChrono(rest, today);
    if (viaChrono === 'which_day') return 'which_day';
    if (viaChrono) {
      reading.day = viaChrono.expr;
      rest = viaChrono.rest;
    } else {
      const dom = readDayOfMonth(rest);
      if (dom) {
        reading.day = { kind: 'day_of_month', day: dom.day };
        rest = dom.rest;
      }
    }
  }

  if (weekday) {
    if (reading.day === undefined) reading.day = { kind: 'weekday', weekday: weekday.weekday, modifier: weekday.modifier };
    else if (weekday.modifier === 'bare' || weekday.modifier === 'this') reading.weekday = weekday.weekday;
    else return 'invalid'; // "next Friday, December 17": two answers to one question
  }
  if (!leftoverIsFiller(rest)) return 'invalid';
  return reading.day === undefined && reading.clock === undefined ? 'invalid' : reading;
}

// ---------------------------------------------------------------------------------------------
// Our rules

type DayResult = { kind: 'day'; day: CalendarDay; correction: DateCorrection; note: DateNote } | { kind: 'ask'; question: Question } | Refusal;

function applyYearRules(date: { year: number | undefined; month: number; day: number }, today: CalendarDay): DayResult {
  let correction: DateCorrection = 'none';
  let year = date.year ?? today.year;
  if (year < today.year) {
    year = today.year;
    correction = 'stale_year';
  }
  if (!isRealDay(year, date.month, date.day)) {
    // February 29 without one this year: the next year it lands on may have it.
    if (date.month !== 2 || date.day !== 29) return INVALID;
    if (compareDays({ year, month: 2, day: 28 }, today) < 0) {
      year += 1;
      correction = 'past_date';
    }
    return isRealDay(year, 2, 29)
      ? { kind: 'day', day: { year, month: 2, day: 29 }, correction, note: NO_NOTE }
      : noSuchDay(2, 29, year);
  }
  if (compareDays({ year, month: date.month, day: date.day }, today) < 0) {
    year += 1;
    correction = 'past_date';
    if (!isRealDay(year, date.month, date.day)) return noSuchDay(date.month, date.day, year);
  }
  return { kind: 'day', day: { year, month: date.month, day: date.day }, correction, note: NO_NOTE };
}

function noSuchDay(month: number, day: number, year: number): DayResult {
  // February 29 in a common year is worth a question; "June 31" is just not a date.
  return month === 2 && day === 29 ? { kind: 'ask', question: { kind: 'no_such_day', month, day, year } } : INVALID;
}

/**
 * Weekday words. "Tuesday" / "this Tuesday" / "on Tuesday": the nearest Tuesday from today on
 * ("Tuesday" said on a Tuesday is asked: today, or next week?). "next Tuesday" and "Tuesday
 * next week": the Tuesday of next week (weeks start on Monday), so on a Monday it is eight days
 * away and on a Sunday two; when that skips a nearer Tuesday, the answer says so.
 * "Tuesday week": a week after the nearest Tuesday. "last Tuesday" has passed.
 */
function resolveWeekday(weekday: number, modifier: 'bare' | 'this' | 'next' | 'week_after' | 'last', today: CalendarDay): DayResult {
  const todayWeekday = isoWeekday(today);
  const ahead = (weekday - todayWeekday + 7) % 7;
  const nearest = addDays(today, ahead);
  switch (modifier) {
    case 'last':
      return { kind: 'refuse', code: 'PAST_TIME' };
    case 'this':
      return { kind: 'day', day: nearest, correction: 'none', note: NO_NOTE };
    case 'bare':
      if (ahead === 0) return { kind: 'ask', question: { kind: 'today_or_next_week', today, nextWeek: addDays(today, 7) } };
      return { kind: 'day', day: nearest, correction: 'none', note: NO_NOTE };
    case 'week_after':
      return { kind: 'day', day: addDays(nearest, 7), correction: 'none', note: NO_NOTE };
    case 'next': {
      const startOfNextWeek = addDays(today, 8 - todayWeekday);
      const day = addDays(startOfNextWeek, weekday - 1);
      const skipped = compareDays(nearest, startOfNextWeek) < 0 && compareDays(nearest, today) > 0;
      return { kind: 'day', day, correction: 'none', note: skipped ? { kind: 'next_week', skipped: nearest } : NO_NOTE };
    }
  }
}

function resolveDay(expr: DayExpr, today: CalendarDay): DayResult {
  switch (expr.kind) {
    case 'absolute':
      return applyYearRules(expr, today);
    case 'relative':
      if (!isRealDay(expr.day.year, expr.day.month, expr.day.day)) return INVALID;
      return compareDays(expr.day, today) < 0
        ? { kind: 'refuse', code: 'PAST_TIME' }
        : { kind: 'day', day: expr.day, correction: 'none', note: NO_NOTE };
    case 'weekday':
      return resolveWeekday(expr.weekday, expr.modifier, today);
    case 'day_of_month': {
      // The next such day from today on: this month if it has not passed, else the next month that has it.
      if (expr.day < 1 || expr.day > 31) return INVALID;
      for (let i = 0; i < 12; i += 1) {
        const month = ((today.month - 1 + i) % 12) + 1;
        const year = today.year + Math.floor((today.month - 1 + i) / 12);
        if (!isRealDay(year, month, expr.day)) continue;
        const day = { year, month, day: expr.day };
        if (compareDays(day, today) >= 0) return { kind: 'day', day, correction: 'none', note: NO_NOTE };
      }
      return INVALID;
    }
    case 'month_only':
      return { kind: 'ask', question: { kind: 'which_day', month: expr.month } };
    case 'ambiguous_slash': {
      const first = applyYearRules(expr.first, today);
      const second = applyYearRules(expr.second, today);
      if (first.kind !== 'day') return second;
      if (second.kind !== 'day') return first;
      return { kind: 'ask', question: { kind: 'day_or_month_first', first: first.day, second: second.day } };
    }
  }
}

/** The date said next to a weekday must agree with it; otherwise ask which one was meant. */
function checkWeekday(result: DayResult, said: number | undefined, today: CalendarDay): DayResult {
  if (said === undefined || result.kind !== 'day' || isoWeekday(result.day) === said) return result;
  // The nearest day with the weekday they said, not before today: the other reading to offer.
  const actual = isoWeekday(result.day);
  const forward = (said - actual + 7) % 7;
  const backward = forward - 7;
  let nearest = addDays(result.day, forward <= -backward ? forward : backward);
  if (compareDays(nearest, today) < 0) nearest = addDays(result.day, forward);
  return { kind: 'ask', question: { kind: 'weekday_mismatch', said: result.day, saidWeekday: said, nearest } };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Is this wall time on this day inside one of the clinic's windows (start inclusive)? */
export function withinBusinessHours(day: CalendarDay, minuteOfDay: number, hours: readonly BusinessWindow[]): boolean {
  if (hours.length === 0) return minuteOfDay >= FALLBACK_WINDOW.opens && minuteOfDay < FALLBACK_WINDOW.closes;
  const weekday = isoWeekday(day);
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return hours.some((w) => {
    const opens = minutesOf(w.opensAt);
    const closes = minutesOf(w.closesAt);
    const overnight = closes <= opens;
    if (w.weekday === weekday) return overnight ? minuteOfDay >= opens : minuteOfDay >= opens && minuteOfDay < closes;
    // A window that crossed midnight from yesterday.
    return w.weekday === yesterday && overnight && minuteOfDay < closes;
  });
}

/** A clock time without am/pm: the reading inside the clinic's hours when only one is. */
function chooseClock(expr: ClockExpr, day: CalendarDay, hours: readonly BusinessWindow[]): { clock: Clock } | { question: Question } {
  if (expr.certain) return { clock: expr.clock };
  const hour12 = expr.clock.hour; // 1..12 here
  const am = { ...expr.clock, hour: hour12 % 12 };
  const pm = { ...expr.clock, hour: (hour12 % 12) + 12 };
  const fits = (c: Clock) => withinBusinessHours(day, c.hour * 60 + c.minute, hours);
  const amFits = fits(am);
  const pmFits = fits(pm);
  if (amFits !== pmFits) return { clock: amFits ? am : pm };
  // "12:15" with neither reading open is lunchtime, not a quarter past midnight.
  if (hour12 === 12 && !amFits) return { clock: pm };
  return { question: { kind: 'am_or_pm', day, hour: hour12, minute: expr.clock.minute } };
}

function beyondHorizon(day: CalendarDay, today: CalendarDay, horizonDays: number): Refusal | null {
  const latestDate = addDays(today, horizonDays);
  return compareDays(day, latestDate) > 0 ? { kind: 'refuse', code: 'BEYOND_HORIZON', latestDate } : null;
}

function present(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

type Parsed =
  | { kind: 'instant'; epochMs: number }
  | { kind: 'reading'; reading: Reading };

/** scheduledAt wins when it can be read; a garbled one still lets a good date + time through. */
function parseSaid(said: Said, country: string, today: CalendarDay): Parsed | 'invalid' | 'which_day' {
  const time = present(said.time);
  let outcome: 'invalid' | 'which_day' = 'invalid';
  for (const candidate of [present(said.scheduledAt), present(said.date)]) {
    if (candidate === undefined || candidate.length > MAX_TEXT || (time?.length ?? 0) > MAX_TEXT) continue;
    const iso = readIso(candidate.toLowerCase().replace(/\s+/g, ' '));
    if (iso === 'invalid') continue;
    if (iso?.kind === 'instant') return iso;
    if (iso?.kind === 'wall') {
      if (iso.clock) return { kind: 'reading', reading: { day: { kind: 'absolute', ...iso.day }, clock: { clock: iso.clock, certain: true } } };
      const clock = time === undefined ? undefined : readClock(canonical(time).replace(/^at\s+/, ''), true);
      if (clock === 'invalid' || clock === null) continue;
      return { kind: 'reading', reading: { day: { kind: 'absolute', ...iso.day }, ...(clock ? { clock: clock.expr } : {}) } };
    }
    const reading = read(candidate, time, country, today);
    if (reading === 'which_day') outcome = 'which_day';
    else if (reading !== 'invalid') return { kind: 'reading', reading };
  }
  return outcome;
}

function dayOfReading(parsed: Parsed, clinic: ClinicCalendar, today: CalendarDay): { result: DayResult; clock: ClockExpr | undefined; exactMs?: number } {
  if (parsed.kind === 'instant') {
    // Models stamp "Z" on local times as often as they hallucinate the year: the clinic wall
    // time of the instant goes through the same rules. An instant the rules leave alone is
    // kept exactly (the second 1:30 of a fall-back night stays the second one).
    const wall = wallOf(parsed.epochMs, clinic.timeZone);
    const result = applyYearRules(wall.day, today);
    const kept = result.kind === 'day' && result.correction === 'none';
    return { result, clock: { clock: wall.clock, certain: true }, ...(kept ? { exactMs: parsed.epochMs } : {}) };
  }
  const { reading } = parsed;
  if (!reading.day) return { result: { kind: 'ask', question: { kind: 'which_day' } }, clock: reading.clock };
  const result = checkWeekday(resolveDay(reading.day, today), reading.weekday, today);
  return { result, clock: reading.clock };
}

// ---------------------------------------------------------------------------------------------
// The two entry points

/** bookClinicAppointment: what was said → an instant, a question, or a refusal. */
export function understandWhen(said: Said, clinic: ClinicCalendar, now: Date): UnderstoodTime {
  assertClinic(clinic, now);
  const today = clinicToday(now, clinic.timeZone);
  const parsed = parseSaid(said, clinic.country, today);
  if (parsed === 'invalid') return INVALID;
  if (parsed === 'which_day') return { kind: 'ask', question: { kind: 'which_day' } };
  const { result, clock, exactMs } = dayOfReading(parsed, clinic, today);
  if (result.kind !== 'day') {
    // A far-away date is refused before any question about it is asked.
    return result;
  }
  const tooFar = beyondHorizon(result.day, today, clinic.horizonDays);
  if (tooFar) return tooFar;
  if (!clock) return { kind: 'ask', question: { kind: 'which_time', day: result.day } };
  if (exactMs !== undefined) return { kind: 'instant', start: new Date(exactMs), correction: 'none', note: NO_NOTE };
  const chosen = chooseClock(clock, result.day, clinic.businessHours);
  if ('question' in chosen) return { kind: 'ask', question: chosen.question };
  return {
    kind: 'instant',
    start: wallTimeToInstant(result.day, chosen.clock, clinic.timeZone),
    correction: result.correction,
    note: result.note,
  };
}

/** checkAvailability: a day only; a time said with it is ignored, a missing one never asked. */
export function understandDay(date: string | undefined, clinic: ClinicCalendar, now: Date): UnderstoodDay {
  assertClinic(clinic, now);
  const text = present(date);
  if (text === undefined) return INVALID;
  const today = clinicToday(now, clinic.timeZone);
  const parsed = parseSaid({ date: text }, clinic.country, today);
  if (parsed === 'invalid') return INVALID;
  if (parsed === 'which_day') return { kind: 'ask', question: { kind: 'which_day' } };
  const { result } = dayOfReading(parsed, clinic, today);
  if (result.kind !== 'day') return result;
  return beyondHorizon(result.day, today, clinic.horizonDays) ?? result;
}

/** The said words in one canonical form, for the idempotency key (never a resolved instant). */
export function canonicalSaid(said: Said): { scheduledAt: string; date: string; time: string } {
  const norm = (v: string | undefined): string => (present(v) === undefined ? '' : canonical(v ?? ''));
  return { scheduledAt: norm(said.scheduledAt), date: norm(said.date), time: norm(said.time) };
}
