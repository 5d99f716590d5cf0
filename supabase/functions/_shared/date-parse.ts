// Turns the date and time text a language model writes into plain components. No time-zone
// maths here: dates.ts decides what the components mean for a clinic.

export interface TimeParts {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export type DateExpr =
  | { kind: 'absolute'; year: number | undefined; month: number; day: number }
  // "today" / "tomorrow" only make sense against the clinic's own calendar.
  | { kind: 'relative'; offsetDays: number };

export type ParsedDateTime =
  | { kind: 'wall'; date: DateExpr; time: TimeParts }
  // An explicit offset or Z pins an instant; its clinic wall time is worked out later.
  | { kind: 'instant'; epochMs: number };

const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1,
  february: 2, feb: 2,
  march: 3, mar: 3,
  april: 4, apr: 4,
  may: 5,
  june: 6, jun: 6,
  july: 7, jul: 7,
  august: 8, aug: 8,
  september: 9, sept: 9, sep: 9,
  october: 10, oct: 10,
  november: 11, nov: 11,
  december: 12, dec: 12,
};
const MONTH = `(${Object.keys(MONTHS).join('|')})\\.?`;
const ORDINAL = '(?:st|nd|rd|th)?';
const YEAR_TAIL = '(?:,?\\s+(\\d{4}))?';

const WEEKDAY_PREFIX =
  /^(?:monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)\.?,?\s+/;
const ISO_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
// Slash dates are read the US way (month first): that is what the assistant prompt asks for.
const US_DATE = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?$/;
const MONTH_FIRST = new RegExp(`^${MONTH}\\s+(\\d{1,2})${ORDINAL}${YEAR_TAIL}$`);
const DAY_FIRST = new RegExp(`^(\\d{1,2})${ORDINAL}\\s+(?:of\\s+)?${MONTH}${YEAR_TAIL}$`);
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:t|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/;
// Bare four-digit "1100" is refused on purpose: it is indistinguishable from a year.
const CLOCK = /^(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*(am|pm|a\.m\.?|p\.m\.?)?$/;

function clean(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function absolute(year: number | undefined, month: number, day: number): DateExpr | null {
  if (!inRange(month, 1, 12) || !inRange(day, 1, 31)) return null;
  return { kind: 'absolute', year, month, day };
}

function optionalYear(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

export function parseDateText(raw: string): DateExpr | null {
  let text = clean(raw).replace(/^on /, '').replace(WEEKDAY_PREFIX, '').replace(/^the /, '');
  text = text.replace(/[.,]$/, '');
  if (text === 'today') return { kind: 'relative', offsetDays: 0 };
  if (text === 'tomorrow') return { kind: 'relative', offsetDays: 1 };

  let m = ISO_DATE.exec(text);
  if (m) return absolute(Number(m[1]), Number(m[2]), Number(m[3]));
  m = US_DATE.exec(text);
  if (m) return absolute(optionalYear(m[3]), Number(m[1]), Number(m[2]));
  m = MONTH_FIRST.exec(text);
  if (m) return absolute(optionalYear(m[3]), MONTHS[m[1] ?? ''] ?? 0, Number(m[2]));
  m = DAY_FIRST.exec(text);
  if (m) return absolute(optionalYear(m[3]), MONTHS[m[2] ?? ''] ?? 0, Number(m[1]));
  return null;
}

export function parseTimeText(raw: string): TimeParts | null {
  const text = clean(raw).replace(/[,]$/, '');
  if (text === 'noon' || text === '12 noon' || text === 'midday') {
    return { hour: 12, minute: 0, second: 0, millisecond: 0 };
  }
  if (text === 'midnight') return { hour: 0, minute: 0, second: 0, millisecond: 0 };

  const m = CLOCK.exec(text);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  const meridiem = m[4]?.startsWith('a') ? 'am' : m[4]?.startsWith('p') ? 'pm' : undefined;
  if (!inRange(minute, 0, 59) || !inRange(second, 0, 59)) return null;
  if (meridiem === undefined) {
    if (!inRange(hour, 0, 23)) return null;
  } else {
    if (!inRange(hour, 1, 12)) return null;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  return { hour, minute, second, millisecond: 0 };
}

function utcMs(year: number, month: number, day: number, time: TimeParts): number {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto the 1900s.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(time.hour, time.minute, time.second, time.millisecond);
  return d.getTime();
}

export function isRealDay(year: number, month: number, day: number): boolean {
  const d = new Date(utcMs(year, month, day, { hour: 0, minute: 0, second: 0, millisecond: 0 }));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function offsetMinutes(text: string): number | null {
  if (text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (!inRange(hours, 0, 18) || !inRange(minutes, 0, 59)) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** ISO-8601-like "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH[:MM]]". */
export function parseIsoDateTime(raw: string): ParsedDateTime | null {
  const m = ISO_DATE_TIME.exec(clean(raw));
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const time: TimeParts = {
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
    millisecond: fraction,
  };
  if (!inRange(time.hour, 0, 23) || !inRange(time.minute, 0, 59) || !inRange(time.second, 0, 59)) {
    return null;
  }
  if (!isRealDay(year, month, day)) return null;
  if (m[8] === undefined) return { kind: 'wall', date: { kind: 'absolute', year, month, day }, time };
  const offset = offsetMinutes(m[8]);
  if (offset === null) return null;
  return { kind: 'instant', epochMs: utcMs(year, month, day, time) - offset * 60_000 };
}

/** "June 2 at 11am", "2026-06-02 11:00 AM", "Tuesday, June 2, 2026, 3:30 pm". */
function parseCombined(raw: string): ParsedDateTime | null {
  const tokens = clean(raw).replace(/ at /g, ' ').replace(/ @ /g, ' ').split(' ');
  for (let i = tokens.length - 1; i >= 1; i -= 1) {
    const time = parseTimeText(tokens.slice(i).join(' '));
    if (!time) continue;
    const date = parseDateText(tokens.slice(0, i).join(' '));
    if (date) return { kind: 'wall', date, time };
  }
  return null;
}

function parseOne(primary: string, time: string | undefined): ParsedDateTime | null {
  const iso = parseIsoDateTime(primary);
  if (iso) return iso;
  if (time !== undefined) {
    const date = parseDateText(primary);
    const clock = parseTimeText(time);
    if (date && clock) return { kind: 'wall', date, time: clock };
  }
  return parseCombined(primary);
}

function present(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/**
 * scheduledAt wins when it parses; a scheduledAt the model garbled still lets a good
 * date + time through, because that is what the caller actually said.
 */
export function parseDateTimeInput(input: {
  scheduledAt?: string | undefined;
  date?: string | undefined;
  time?: string | undefined;
}): ParsedDateTime | null {
  const time = present(input.time);
  const candidates = [present(input.scheduledAt), present(input.date)];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate.length > 100) continue;
    const parsed = parseOne(candidate, time);
    if (parsed) return parsed;
  }
  return null;
}
