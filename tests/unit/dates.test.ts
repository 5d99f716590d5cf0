import { describe, expect, it } from 'vitest';
import { resolveAppointmentDay, resolveAppointmentTime, wallTimeToInstant } from '../../supabase/functions/_shared/dates.ts';
import { parseDateText, parseTimeText } from '../../supabase/functions/_shared/date-parse.ts';

type Input = { scheduledAt?: string; date?: string; time?: string };

function resolve(input: Input, timeZone: string, now: string): { iso: string; correction: string } | 'INVALID_DATE' {
  const result = resolveAppointmentTime(input, timeZone, new Date(now));
  return result.ok ? { iso: result.start.toISOString(), correction: result.correction } : result.code;
}

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
// 2026-03-10 08:00 in New York (EDT since March 8).
const SPRING = '2026-03-10T12:00:00Z';

describe('resolveAppointmentTime: date forms (America/New_York)', () => {
  const expected = { iso: '2026-06-02T15:00:00.000Z', correction: 'none' };
  it.each([
    '2026-06-02',
    'June 2',
    'june 2',
    'June 2, 2026',
    'Jun. 2nd',
    '2 June 2026',
    '2nd of June',
    '06/02/2026',
    '6/2',
    '6/2/26',
    'Tuesday, June 2',
    'Tue June 2',
    'on Tuesday, the 2nd of June',
    '  June   2  ',
  ])('reads %j as June 2, 2026', (date) => {
    expect(resolve({ date, time: '11:00' }, NY, SPRING)).toEqual(expected);
  });

  it.each([
    ['11:00', '2026-06-02T15:00:00.000Z'],
    ['11am', '2026-06-02T15:00:00.000Z'],
    ['11 AM', '2026-06-02T15:00:00.000Z'],
    ['11:00 a.m.', '2026-06-02T15:00:00.000Z'],
    ['11', '2026-06-02T15:00:00.000Z'],
    ['11.30', '2026-06-02T15:30:00.000Z'],
    ['11:30 pm', '2026-06-03T03:30:00.000Z'],
    ['11:30 PM', '2026-06-03T03:30:00.000Z'],
    ['14:00', '2026-06-02T18:00:00.000Z'],
    ['2:15 pm', '2026-06-02T18:15:00.000Z'],
    ['noon', '2026-06-02T16:00:00.000Z'],
    ['12 noon', '2026-06-02T16:00:00.000Z'],
    ['12pm', '2026-06-02T16:00:00.000Z'],
    ['12am', '2026-06-02T04:00:00.000Z'],
    ['midnight', '2026-06-02T04:00:00.000Z'],
    ['09:05:30', '2026-06-02T13:05:30.000Z'],
  ])('reads time %j', (time, iso) => {
    expect(resolve({ date: 'June 2', time }, NY, SPRING)).toEqual({ iso, correction: 'none' });
  });

  it.each(['13pm', '0am', '25:00', '11:60', '1100', 'eleven', '11 o clock', '', '   '])(
    'rejects time %j',
    (time) => {
      expect(resolve({ date: 'June 2', time }, NY, SPRING)).toBe('INVALID_DATE');
    },
  );
});

describe('resolveAppointmentTime: scheduledAt', () => {
  it.each([
    ['2026-06-02T11:00:00', '2026-06-02T15:00:00.000Z'],
    ['2026-06-02T11:00', '2026-06-02T15:00:00.000Z'],
    ['2026-06-02 11:00', '2026-06-02T15:00:00.000Z'],
    ['2026-06-02T11:00:00.000', '2026-06-02T15:00:00.000Z'],
    // An explicit offset is an instant; it keeps its meaning.
    ['2026-06-02T11:00:00Z', '2026-06-02T11:00:00.000Z'],
    ['2026-06-02T11:00:00.250Z', '2026-06-02T11:00:00.250Z'],
    ['2026-06-02T11:00:00-04:00', '2026-06-02T15:00:00.000Z'],
    ['2026-06-02T11:00:00+0200', '2026-06-02T09:00:00.000Z'],
    ['2026-06-02T11:00:00+02', '2026-06-02T09:00:00.000Z'],
    ['June 2 at 11am', '2026-06-02T15:00:00.000Z'],
    ['Tuesday, June 2, 2026, 3:30 pm', '2026-06-02T19:30:00.000Z'],
    ['2026-06-02 11:00 AM', '2026-06-02T15:00:00.000Z'],
    ['2 June 2026 14:00', '2026-06-02T18:00:00.000Z'],
  ])('reads %j', (scheduledAt, iso) => {
    expect(resolve({ scheduledAt }, NY, SPRING)).toEqual({ iso, correction: 'none' });
  });

  it('takes a date-only scheduledAt together with time', () => {
    expect(resolve({ scheduledAt: '2026-06-02', time: '11am' }, NY, SPRING)).toEqual({
      iso: '2026-06-02T15:00:00.000Z',
      correction: 'none',
    });
  });

  it('prefers scheduledAt over date + time when both parse', () => {
    expect(resolve({ scheduledAt: '2026-06-03T09:00', date: 'June 2', time: '11:00' }, NY, SPRING)).toEqual({
      iso: '2026-06-03T13:00:00.000Z',
      correction: 'none',
    });
  });

  it('falls back to date + time when scheduledAt is garbage', () => {
    expect(resolve({ scheduledAt: 'whenever', date: 'June 2', time: '11:00' }, NY, SPRING)).toEqual({
      iso: '2026-06-02T15:00:00.000Z',
      correction: 'none',
    });
  });

  it.each([
    '2026-06-02T25:00:00',
    '2026-02-30T10:00:00',
    '2026-06-02T11:00:00+25:00',
    '2026-06-02',
    'soon',
  ])('rejects %j on its own', (scheduledAt) => {
    expect(resolve({ scheduledAt }, NY, SPRING)).toBe('INVALID_DATE');
  });
});

describe('resolveAppointmentTime: garbage', () => {
  it.each<Input>([
    {},
    { date: '' },
    { date: 'June 2' },
    { time: '11:00' },
    { date: 'next blursday', time: '11:00' },
    { date: '13/45/2026', time: '11:00' },
    { date: 'June 31', time: '11:00' },
    { date: '2026-02-30', time: '11:00' },
    { date: 'Smarch 2', time: '11:00' },
    { date: 'June 2 2026 2026', time: '11:00' },
    { date: `${'June 2 '.repeat(30)}`, time: '11:00' },
  ])('INVALID_DATE for %j', (input) => {
    expect(resolve(input, NY, SPRING)).toBe('INVALID_DATE');
  });

  it('throws (without echoing input) for a broken time zone or clock', () => {
    expect(() => resolveAppointmentTime({ date: 'June 2', time: '11:00' }, 'Mars/Olympus', new Date(SPRING))).toThrow(
      'invalid clinic time zone',
    );
    expect(() => resolveAppointmentTime({ date: 'June 2', time: '11:00' }, NY, new Date(Number.NaN))).toThrow(
      'invalid clock value',
    );
  });
});

describe('resolveAppointmentTime: year correction', () => {
  it('moves a stale year to the current year', () => {
    expect(resolve({ date: '2024-06-02', time: '11:00' }, NY, SPRING)).toEqual({
      iso: '2026-06-02T15:00:00.000Z',
      correction: 'stale_year',
    });
    expect(resolve({ date: 'June 2, 2024', time: '11am' }, NY, SPRING)).toEqual({
      iso: '2026-06-02T15:00:00.000Z',
      correction: 'stale_year',
    });
    expect(resolve({ scheduledAt: '2024-06-02T11:00:00' }, NY, SPRING)).toEqual({
      iso: '2026-06-02T15:00:00.000Z',
      correction: 'stale_year',
    });
  });

  it('converts an offset instant to clinic wall time before correcting the year', () => {
    // 11:00Z is 07:00 in New York; the wall time 07:00 is kept in 2026.
    expect(resolve({ scheduledAt: '2024-06-02T11:00:00Z' }, NY, SPRING)).toEqual({
      iso: '2026-06-02T11:00:00.000Z',
      correction: 'stale_year',
    });
    // 23:00 on June 1 in UTC is already June 2 in Tokyo: the clinic's date is what is kept.
    expect(resolve({ scheduledAt: '2024-06-01T23:00:00Z' }, 'Asia/Tokyo', SPRING)).toEqual({
      iso: '2026-06-01T23:00:00.000Z',
      correction: 'stale_year',
    });
  });

  it('moves a date that has passed this year to next year', () => {
    expect(resolve({ date: 'February 1', time: '10:00' }, NY, SPRING)).toEqual({
      iso: '2027-02-01T15:00:00.000Z',
      correction: 'past_date',
    });
    // US daylight time starts on March 14 in 2027, so this is EST.
    expect(resolve({ date: '2026-03-09', time: '10:00' }, NY, SPRING)).toEqual({
      iso: '2027-03-09T15:00:00.000Z',
      correction: 'past_date',
    });
  });

  it("reports 'past_date' when a stale year still lands in the past", () => {
    // 2024-01-15 → 2026-01-15 (passed on March 10) → 2027-01-15, EST.
    expect(resolve({ scheduledAt: '2024-01-15T09:00:00-05:00' }, NY, SPRING)).toEqual({
      iso: '2027-01-15T14:00:00.000Z',
      correction: 'past_date',
    });
  });

  it('keeps a future year as given', () => {
    expect(resolve({ date: '2027-01-05', time: '9am' }, NY, SPRING)).toEqual({
      iso: '2027-01-05T14:00:00.000Z',
      correction: 'none',
    });
  });

  it('does not push an earlier time today a year ahead (the database answers PAST_TIME)', () => {
    const now = '2026-03-10T16:00:00Z'; // 12:00 EDT
    const result = resolveAppointmentTime({ date: 'March 10', time: '9:00' }, NY, new Date(now));
    expect(result).toEqual({ ok: true, start: new Date('2026-03-10T13:00:00Z'), correction: 'none' });
    expect(resolve({ date: 'today', time: '3pm' }, NY, now)).toEqual({
      iso: '2026-03-10T19:00:00.000Z',
      correction: 'none',
    });
    expect(resolve({ date: 'tomorrow', time: '9am' }, NY, now)).toEqual({
      iso: '2026-03-11T13:00:00.000Z',
      correction: 'none',
    });
  });
});

describe('resolveAppointmentTime: February 29 → INVALID_DATE when the year has none', () => {
  it('refuses Feb 29 without a year in a common year', () => {
    expect(resolve({ date: 'February 29', time: '10:00' }, NY, SPRING)).toBe('INVALID_DATE');
  });
  it('refuses a stale leap day moved to a common year', () => {
    expect(resolve({ date: '2024-02-29', time: '10:00' }, NY, SPRING)).toBe('INVALID_DATE');
  });
  it('refuses a passed leap day moved to the next (common) year', () => {
    expect(resolve({ date: 'February 29', time: '10:00' }, NY, '2028-03-05T12:00:00Z')).toBe('INVALID_DATE');
  });
  it('accepts Feb 29 in a leap year', () => {
    expect(resolve({ date: 'February 29', time: '10:00' }, NY, '2028-01-10T12:00:00Z')).toEqual({
      iso: '2028-02-29T15:00:00.000Z',
      correction: 'none',
    });
    expect(resolve({ date: '2028-02-29', time: '10:00' }, NY, SPRING)).toEqual({
      iso: '2028-02-29T15:00:00.000Z',
      correction: 'none',
    });
  });
});

describe('resolveAppointmentTime: year end (2026-12-31 23:30 in Los Angeles = 2027-01-01 07:30 UTC)', () => {
  const NOW = '2027-01-01T07:30:00Z';

  it('"January 2" is next week in Los Angeles (past this year there) and tomorrow in UTC', () => {
    expect(resolve({ date: 'January 2', time: '10:00' }, LA, NOW)).toEqual({
      iso: '2027-01-02T18:00:00.000Z',
      correction: 'past_date',
    });
    expect(resolve({ date: 'January 2', time: '10:00' }, 'UTC', NOW)).toEqual({
      iso: '2027-01-02T10:00:00.000Z',
      correction: 'none',
    });
  });

  it('"2026-12-31 23:45" is later today in Los Angeles but a stale year in UTC', () => {
    expect(resolve({ scheduledAt: '2026-12-31 23:45' }, LA, NOW)).toEqual({
      iso: '2027-01-01T07:45:00.000Z',
      correction: 'none',
    });
    expect(resolve({ scheduledAt: '2026-12-31 23:45' }, 'UTC', NOW)).toEqual({
      iso: '2027-12-31T23:45:00.000Z',
      correction: 'stale_year',
    });
  });

  it('"December 31" without a year is today in Los Angeles and the end of 2027 in UTC', () => {
    expect(resolve({ date: 'December 31', time: '11:45 pm' }, LA, NOW)).toEqual({
      iso: '2027-01-01T07:45:00.000Z',
      correction: 'none',
    });
    expect(resolve({ date: 'December 31', time: '11:45 pm' }, 'UTC', NOW)).toEqual({
      iso: '2027-12-31T23:45:00.000Z',
      correction: 'none',
    });
  });

  it('"tomorrow" follows the clinic calendar', () => {
    expect(resolve({ date: 'tomorrow', time: '9am' }, LA, NOW)).toEqual({
      iso: '2027-01-01T17:00:00.000Z',
      correction: 'none',
    });
    expect(resolve({ date: 'tomorrow', time: '9am' }, 'UTC', NOW)).toEqual({
      iso: '2027-01-02T09:00:00.000Z',
      correction: 'none',
    });
  });

  it('2026-12-31 23:30 as a UTC clock: still 2026 in both zones', () => {
    const now = '2026-12-31T23:30:00Z'; // 15:30 in Los Angeles
    expect(resolve({ date: 'January 2', time: '10:00' }, LA, now)).toEqual({
      iso: '2027-01-02T18:00:00.000Z',
      correction: 'past_date',
    });
    expect(resolve({ date: 'January 2', time: '10:00' }, 'UTC', now)).toEqual({
      iso: '2027-01-02T10:00:00.000Z',
      correction: 'past_date',
    });
    expect(resolve({ date: 'December 31', time: '4pm' }, LA, now)).toEqual({
      iso: '2027-01-01T00:00:00.000Z',
      correction: 'none',
    });
  });

  it('Tokyo is already in 2027 when UTC is not', () => {
    const now = '2026-12-31T15:30:00Z'; // 2027-01-01 00:30 in Tokyo
    expect(resolve({ scheduledAt: '2026-12-31T10:00:00' }, 'Asia/Tokyo', now)).toEqual({
      iso: '2027-12-31T01:00:00.000Z',
      correction: 'stale_year',
    });
    expect(resolve({ scheduledAt: '2026-12-31T10:00:00' }, 'UTC', now)).toEqual({
      iso: '2026-12-31T10:00:00.000Z',
      correction: 'none',
    });
  });
});

describe('resolveAppointmentTime: time zones', () => {
  it.each([
    ['Europe/London', '2026-06-02T10:00:00.000Z'],
    ['America/New_York', '2026-06-02T15:00:00.000Z'],
    ['Asia/Tokyo', '2026-06-02T02:00:00.000Z'],
    ['Australia/Sydney', '2026-06-02T01:00:00.000Z'],
    ['UTC', '2026-06-02T11:00:00.000Z'],
  ])('11:00 on June 2 in %s', (zone, iso) => {
    expect(resolve({ date: 'June 2', time: '11:00' }, zone, SPRING)).toEqual({ iso, correction: 'none' });
  });

  it('uses the offset of the booked day, not of today', () => {
    // January in Sydney is daylight time (+11), March 10 is too, June is not.
    expect(resolve({ date: 'January 15', time: '11:00' }, 'Australia/Sydney', SPRING)).toEqual({
      iso: '2027-01-15T00:00:00.000Z',
      correction: 'past_date',
    });
    expect(resolve({ date: 'December 1', time: '09:00' }, 'Europe/London', SPRING)).toEqual({
      iso: '2026-12-01T09:00:00.000Z',
      correction: 'none',
    });
  });
});

describe('resolveAppointmentTime: daylight-saving transitions', () => {
  it('moves a nonexistent New York time forward by the gap (02:30 → 03:30 EDT)', () => {
    expect(resolve({ date: '2026-03-08', time: '2:30 AM' }, NY, '2026-01-05T12:00:00Z')).toEqual({
      iso: '2026-03-08T07:30:00.000Z',
      correction: 'none',
    });
  });

  it('takes the first (EDT, -04:00) occurrence of an ambiguous New York time', () => {
    expect(resolve({ date: '2026-11-01', time: '1:30 AM' }, NY, SPRING)).toEqual({
      iso: '2026-11-01T05:30:00.000Z',
      correction: 'none',
    });
    // Unambiguous neighbours on either side of the repeated hour.
    expect(resolve({ date: '2026-11-01', time: '12:59 AM' }, NY, SPRING)).toEqual({
      iso: '2026-11-01T04:59:00.000Z',
      correction: 'none',
    });
    expect(resolve({ date: '2026-11-01', time: '2:00 AM' }, NY, SPRING)).toEqual({
      iso: '2026-11-01T07:00:00.000Z',
      correction: 'none',
    });
  });

  it('handles London and Sydney transitions the same way', () => {
    expect(resolve({ date: '2026-03-29', time: '01:30' }, 'Europe/London', '2026-01-05T12:00:00Z')).toEqual({
      iso: '2026-03-29T01:30:00.000Z', // 02:30 BST
      correction: 'none',
    });
    expect(resolve({ date: '2026-10-25', time: '01:30' }, 'Europe/London', SPRING)).toEqual({
      iso: '2026-10-25T00:30:00.000Z', // first 01:30, BST
      correction: 'none',
    });
    expect(resolve({ date: '2026-10-04', time: '02:30' }, 'Australia/Sydney', SPRING)).toEqual({
      iso: '2026-10-03T16:30:00.000Z', // 03:30 AEDT
      correction: 'none',
    });
    expect(resolve({ date: '2026-04-05', time: '02:30' }, 'Australia/Sydney', SPRING)).toEqual({
      iso: '2026-04-04T15:30:00.000Z', // first 02:30, AEDT
      correction: 'none',
    });
  });

  it('wallTimeToInstant is exact away from transitions', () => {
    const time = { hour: 11, minute: 0, second: 0, millisecond: 0 };
    expect(wallTimeToInstant({ year: 2026, month: 6, day: 2 }, time, NY).toISOString()).toBe('2026-06-02T15:00:00.000Z');
    expect(wallTimeToInstant({ year: 2026, month: 1, day: 2 }, time, NY).toISOString()).toBe('2026-01-02T16:00:00.000Z');
  });
});

describe('resolveAppointmentDay', () => {
  const day = (date: string | undefined, zone = NY, now = SPRING) => resolveAppointmentDay(date, zone, new Date(now));

  it('resolves the same date forms', () => {
    expect(day('June 2')).toEqual({ ok: true, day: { year: 2026, month: 6, day: 2 }, correction: 'none' });
    expect(day('Tuesday, June 2, 2024')).toEqual({
      ok: true,
      day: { year: 2026, month: 6, day: 2 },
      correction: 'stale_year',
    });
    expect(day('March 1')).toEqual({ ok: true, day: { year: 2027, month: 3, day: 1 }, correction: 'past_date' });
  });

  it('treats today as not past', () => {
    expect(day('today')).toEqual({ ok: true, day: { year: 2026, month: 3, day: 10 }, correction: 'none' });
    expect(day('March 10')).toEqual({ ok: true, day: { year: 2026, month: 3, day: 10 }, correction: 'none' });
  });

  it('reads an ISO timestamp as the clinic-local day', () => {
    expect(day('2026-06-02T02:00:00Z', LA)).toEqual({ ok: true, day: { year: 2026, month: 6, day: 1 }, correction: 'none' });
    expect(day('2026-06-02T02:00:00', LA)).toEqual({ ok: true, day: { year: 2026, month: 6, day: 2 }, correction: 'none' });
  });

  it('refuses garbage', () => {
    expect(day(undefined)).toEqual({ ok: false, code: 'INVALID_DATE' });
    expect(day('someday')).toEqual({ ok: false, code: 'INVALID_DATE' });
    expect(day('February 29')).toEqual({ ok: false, code: 'INVALID_DATE' });
  });
});

describe('date-parse helpers', () => {
  it('reads slash dates month first', () => {
    expect(parseDateText('06/02/2026')).toEqual({ kind: 'absolute', year: 2026, month: 6, day: 2 });
    expect(parseDateText('13/02/2026')).toBeNull();
  });
  it('does not take a year for a clock time', () => {
    expect(parseTimeText('2026')).toBeNull();
    expect(parseTimeText('12:30 am')).toEqual({ hour: 0, minute: 30, second: 0, millisecond: 0 });
  });
});
