// The one date module beyond the golden table: the DST rule in both directions, opening hours
// that cross midnight, the "next Tuesday" note, and misuse by our own configuration.
import { describe, expect, it } from 'vitest';
import {
  canonicalSaid, repeatedWallTime, slashOrder, understandDay, understandWhen, wallTimeToInstant, withinBusinessHours,
  type ClinicCalendar,
} from '../../supabase/functions/_shared/dates.ts';
import { parseBookingArguments } from '../../supabase/functions/_shared/booking-args.ts';

const NY = 'America/New_York';
const clinic = (over: Partial<ClinicCalendar> = {}): ClinicCalendar => ({
  timeZone: NY, country: 'US', businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '18:00' })),
  horizonDays: 365, ...over,
});
const MONDAY_NOON = new Date('2026-06-01T16:00:00Z');
const clock = (hour: number, minute = 0) => ({ hour, minute, second: 0, millisecond: 0 });

describe('the DST rule', () => {
  it('moves a wall time in the spring-forward gap forward by the gap', () => {
    expect(wallTimeToInstant({ year: 2027, month: 3, day: 14 }, clock(2, 30), NY).toISOString()).toBe('2027-03-14T07:30:00.000Z');
    expect(wallTimeToInstant({ year: 2027, month: 3, day: 28 }, clock(1, 30), 'Europe/London').toISOString()).toBe('2027-03-28T01:30:00.000Z');
  });

  it('reads a repeated wall time as the earlier instant, and knows which occurrence an instant is', () => {
    const first = wallTimeToInstant({ year: 2026, month: 11, day: 1 }, clock(1, 30), NY);
    expect(first.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(repeatedWallTime(first, NY)).toBe('first');
    expect(repeatedWallTime(new Date('2026-11-01T06:30:00Z'), NY)).toBe('second');
    expect(repeatedWallTime(new Date('2026-11-01T07:30:00Z'), NY)).toBeNull();
    expect(repeatedWallTime(new Date('2026-10-25T00:30:00Z'), 'Europe/London')).toBe('first');
    expect(repeatedWallTime(new Date('2026-10-25T01:30:00Z'), 'Europe/London')).toBe('second');
  });

  it('keeps an explicit offset exactly (the second 1:30 stays the second), but moves a stale year by wall time', () => {
    const now = new Date('2027-10-20T16:00:00Z');
    const got = understandWhen({ scheduledAt: '2027-11-07T01:30:00-05:00' }, clinic(), now);
    expect(got).toMatchObject({ kind: 'instant', start: new Date('2027-11-07T06:30:00Z') });
    const stale = understandWhen({ scheduledAt: '2025-11-07T10:00:00-05:00' }, clinic(), now);
    expect(stale).toMatchObject({ kind: 'instant', start: new Date('2027-11-07T15:00:00Z'), correction: 'stale_year' });
  });
});

describe('opening hours decide a bare time', () => {
  it('reads windows that cross midnight on the day they start and the day after', () => {
    const night = [{ weekday: 5, opensAt: '20:00', closesAt: '02:00' }]; // Friday 20:00 → Saturday 02:00
    const friday = { year: 2026, month: 6, day: 5 };
    const saturday = { year: 2026, month: 6, day: 6 };
    expect(withinBusinessHours(friday, 21 * 60, night)).toBe(true);
    expect(withinBusinessHours(friday, 1 * 60, night)).toBe(false);
    expect(withinBusinessHours(saturday, 1 * 60, night)).toBe(true);
    expect(withinBusinessHours(saturday, 21 * 60, night)).toBe(false);
    // "1:30" on that Saturday can only be the small hours; "9" on the Friday only the evening.
    const c = clinic({ businessHours: night });
    expect(understandWhen({ date: 'Saturday', time: '1:30' }, c, MONDAY_NOON)).toMatchObject({ start: new Date('2026-06-06T05:30:00Z') });
    expect(understandWhen({ date: 'Friday', time: '9' }, c, MONDAY_NOON)).toMatchObject({ start: new Date('2026-06-06T01:00:00Z') });
  });

  it('uses a 07:00–19:00 day when the clinic lists no hours', () => {
    const c = clinic({ businessHours: [] });
    expect(understandWhen({ date: 'tomorrow', time: '2:30' }, c, MONDAY_NOON)).toMatchObject({ start: new Date('2026-06-02T18:30:00Z') });
    expect(understandWhen({ date: 'tomorrow', time: '7' }, c, MONDAY_NOON)).toMatchObject({ start: new Date('2026-06-02T11:00:00Z') });
  });
});

describe('weekday words', () => {
  it('"next Tuesday" on a Monday is next week\'s and says which one it skipped', () => {
    expect(understandWhen({ date: 'next Tuesday', time: '3pm' }, clinic(), MONDAY_NOON)).toEqual({
      kind: 'instant', start: new Date('2026-06-09T19:00:00Z'), correction: 'none',
      note: { kind: 'next_week', skipped: { year: 2026, month: 6, day: 2 } },
    });
  });

  it('"next Monday" on a Monday skips nothing nearer, so there is nothing extra to say', () => {
    expect(understandWhen({ date: 'next Monday', time: '3pm' }, clinic(), MONDAY_NOON)).toMatchObject({ note: { kind: 'none' } });
  });

  it('checkAvailability with only a day never asks for a time', () => {
    expect(understandDay('Saturday', clinic(), MONDAY_NOON)).toMatchObject({ kind: 'day', day: { year: 2026, month: 6, day: 6 } });
  });
});

describe('slash dates by country', () => {
  it('reads the day first outside the month-first countries and asks where the country does not settle it', () => {
    expect(['US', 'CA', 'PH'].map(slashOrder)).toEqual(['month_first', 'month_first', 'month_first']);
    expect(['GB', 'IE', 'AU', 'NZ', 'FR', 'de'].map(slashOrder)).toEqual(Array(6).fill('day_first'));
    expect(['JP', 'CN', 'KR'].map(slashOrder)).toEqual(['ask', 'ask', 'ask']);
  });
});

describe('misuse', () => {
  it('throws (without echoing input) for a broken time zone or clock', () => {
    expect(() => understandWhen({ date: 'June 2', time: '11am' }, clinic({ timeZone: 'Mars/Olympus' }), MONDAY_NOON)).toThrow('invalid clinic time zone');
    expect(() => understandWhen({ date: 'June 2', time: '11am' }, clinic(), new Date(Number.NaN))).toThrow('invalid clock value');
  });

  it('refuses overlong and empty text', () => {
    expect(understandWhen({ date: 'June 2 '.repeat(30), time: '11am' }, clinic(), MONDAY_NOON)).toEqual({ kind: 'refuse', code: 'INVALID_DATE' });
    expect(understandWhen({}, clinic(), MONDAY_NOON)).toEqual({ kind: 'refuse', code: 'INVALID_DATE' });
    expect(understandDay('  ', clinic(), MONDAY_NOON)).toEqual({ kind: 'refuse', code: 'INVALID_DATE' });
  });
});

describe('canonicalSaid (the words in the idempotency key)', () => {
  it('folds case, spacing and spoken numbers, and never depends on the clock', () => {
    expect(canonicalSaid({ date: '  Tomorrow ', time: 'Ten  AM' })).toEqual(canonicalSaid({ date: 'tomorrow', time: '10 am' }));
    expect(canonicalSaid({ date: 'tomorrow', time: '10 am' })).not.toEqual(canonicalSaid({ date: 'tomorrow', time: '11 am' }));
  });
});

describe('services as people say them', () => {
  it.each([
    ["doctor's note", 'doctors note'],
    ['flu shot, follow-up', 'flu shot / follow-up'],
    ['Consultation.', 'consultation'],
    ['teeth whitening (cosmetic)', 'teeth whitening cosmetic'],
    ['physiotherapy – back pain', 'physiotherapy - back pain'],
    ['X-Ray', 'x-ray'],
    ['  Check-up!! ', 'check-up'],
    ['Café consult', 'cafe consult'],
  ])('%j → %j (what book_appointment_atomic accepts)', (said, stored) => {
    const parsed = parseBookingArguments({ name: 'Ann Lee', phone: '+15554443333', serviceType: said, date: 'June 2', time: '11am' });
    expect(parsed.ok && parsed.value.serviceType).toBe(stored);
    expect(stored).toMatch(/^[a-z0-9][a-z0-9 _/&-]*$/);
  });

  it.each(['!!!', '()', 'x'.repeat(65), 'clean\u0007ing'])('refuses %j', (said) => {
    expect(parseBookingArguments({ name: 'Ann Lee', phone: '+15554443333', serviceType: said, date: 'June 2', time: '11am' }))
      .toEqual({ ok: false, field: 'serviceType' });
  });
});
