import { describe, expect, it } from 'vitest';
import {
  availabilityMessage,
  bookedMessage,
  clarificationMessage,
  errorMessage,
  formatDay,
  formatSlot,
  formatTime,
  outsideHoursMessage,
  slotTakenMessage,
} from '../../supabase/functions/_shared/speech.ts';
import { DATABASE_CODES, EDGE_CODES } from '../../supabase/functions/_shared/codes.ts';

const NY = 'America/New_York';
const JUNE_2_11AM_NY = new Date('2026-06-02T15:00:00Z');
const NOW = new Date('2026-03-10T12:00:00Z');

function expectOneLine(text: string): void {
  expect(text).not.toMatch(/[\n\r\u2028\u2029]/);
  expect(text).not.toMatch(/\s{2,}/);
  expect(text).toBe(text.trim());
  // Plain spaces only: some ICU versions emit U+202F before AM/PM.
  expect(text).not.toMatch(/[\u00a0\u202f]/);
  expect(text.length).toBeLessThan(240);
}

describe('formatSlot', () => {
  it('says weekday, date and time in the clinic zone', () => {
    expect(formatSlot(JUNE_2_11AM_NY, NY)).toBe('Tuesday, June 2 at 11:00 AM');
    expect(formatSlot(JUNE_2_11AM_NY, 'Europe/London')).toBe('Tuesday, June 2 at 4:00 PM');
    expect(formatSlot(JUNE_2_11AM_NY, 'Asia/Tokyo')).toBe('Wednesday, June 3 at 12:00 AM');
    expect(formatSlot(JUNE_2_11AM_NY, 'Australia/Sydney')).toBe('Wednesday, June 3 at 1:00 AM');
  });

  it('says noon and midnight unambiguously', () => {
    expect(formatSlot(new Date('2026-06-02T16:00:00Z'), NY)).toBe('Tuesday, June 2 at 12:00 PM');
    expect(formatTime(new Date('2026-06-02T04:00:00Z'), NY)).toBe('12:00 AM');
    expect(formatTime(new Date('2026-06-02T18:05:00Z'), NY)).toBe('2:05 PM');
  });

  it('adds the year when asked, or when the slot is not in the clinic\'s current year', () => {
    expect(formatSlot(JUNE_2_11AM_NY, NY, { withYear: true })).toBe('Tuesday, June 2, 2026 at 11:00 AM');
    expect(formatSlot(JUNE_2_11AM_NY, NY, { now: NOW })).toBe('Tuesday, June 2 at 11:00 AM');
    expect(formatSlot(new Date('2027-01-05T14:00:00Z'), NY, { now: NOW })).toBe('Tuesday, January 5, 2027 at 9:00 AM');
  });

  it('judges "current year" in the clinic zone (year end)', () => {
    const now = new Date('2027-01-01T07:30:00Z'); // Dec 31, 2026 in Los Angeles
    const slot = new Date('2027-01-02T18:00:00Z');
    expect(formatSlot(slot, 'America/Los_Angeles', { now })).toBe('Saturday, January 2, 2027 at 10:00 AM');
    expect(formatSlot(slot, 'UTC', { now })).toBe('Saturday, January 2 at 6:00 PM');
  });

  it('formats a calendar day without any zone shift', () => {
    expect(formatDay({ year: 2026, month: 6, day: 2 })).toBe('Tuesday, June 2');
    expect(formatDay({ year: 2027, month: 1, day: 1 }, { withYear: true })).toBe('Friday, January 1, 2027');
  });
});

describe('bookedMessage', () => {
  it('confirms without the year when nothing was corrected', () => {
    const text = bookedMessage(JUNE_2_11AM_NY, NY, { correction: 'none', now: NOW });
    expect(text).toBe("You're booked for Tuesday, June 2 at 11:00 AM.");
    expectOneLine(text);
  });

  it('says the full resolved date back when the date was corrected', () => {
    expect(bookedMessage(JUNE_2_11AM_NY, NY, { correction: 'stale_year' })).toBe(
      "I've booked Tuesday, June 2, 2026 at 11:00 AM, the next upcoming June 2.",
    );
    expect(bookedMessage(new Date('2027-02-01T15:00:00Z'), NY, { correction: 'past_date' })).toBe(
      "I've booked Monday, February 1, 2027 at 10:00 AM, the next upcoming February 1.",
    );
  });

  it('defaults to no correction', () => {
    expect(bookedMessage(JUNE_2_11AM_NY, NY)).toBe("You're booked for Tuesday, June 2 at 11:00 AM.");
  });
});

describe('slotTakenMessage / outsideHoursMessage', () => {
  const alt = (iso: string) => new Date(iso);

  it('offers up to three nearest times, sharing the day when it repeats', () => {
    const text = slotTakenMessage(
      [alt('2026-06-02T15:30:00Z'), alt('2026-06-02T16:00:00Z'), alt('2026-06-03T13:00:00Z'), alt('2026-06-04T13:00:00Z')],
      NY,
    );
    expect(text).toBe(
      'That time is already taken. The nearest free times are Tuesday, June 2 at 11:30 AM or 12:00 PM, or Wednesday, June 3 at 9:00 AM. Which would you like?',
    );
    expectOneLine(text);
  });

  it('sorts alternatives and lists three on one day with commas', () => {
    const text = slotTakenMessage([alt('2026-06-02T17:00:00Z'), alt('2026-06-02T15:30:00Z'), alt('2026-06-02T16:00:00Z')], NY);
    expect(text).toBe(
      'That time is already taken. The nearest free times are Tuesday, June 2 at 11:30 AM, 12:00 PM, or 1:00 PM. Which would you like?',
    );
  });

  it('handles one alternative and none', () => {
    expect(slotTakenMessage([alt('2026-06-02T15:30:00Z')], NY)).toBe(
      'That time is already taken. The nearest free time is Tuesday, June 2 at 11:30 AM. Would that work?',
    );
    expect(slotTakenMessage([], NY)).toBe('That time is already taken. What other day or time would suit you?');
  });

  it('uses separate days joined with ", or"', () => {
    expect(slotTakenMessage([alt('2026-06-02T15:30:00Z'), alt('2026-06-03T15:30:00Z')], NY)).toBe(
      'That time is already taken. The nearest free times are Tuesday, June 2 at 11:30 AM, or Wednesday, June 3 at 11:30 AM. Which would you like?',
    );
  });

  it('says the year of alternatives in another year when now is known', () => {
    const now = new Date('2026-12-30T12:00:00Z');
    expect(slotTakenMessage([alt('2027-01-04T14:00:00Z')], NY, now)).toBe(
      'That time is already taken. The nearest free time is Monday, January 4, 2027 at 9:00 AM. Would that work?',
    );
  });

  it('explains opening hours with alternatives', () => {
    expect(outsideHoursMessage([alt('2026-06-02T13:00:00Z')], NY)).toBe(
      "That's outside our opening hours. The nearest free time is Tuesday, June 2 at 9:00 AM. Would that work?",
    );
    expect(outsideHoursMessage([], NY)).toBe("That's outside our opening hours. What other day or time would suit you?");
  });
});

describe('availabilityMessage', () => {
  const day = { year: 2026, month: 6, day: 2 };

  it('lists the free times of the day', () => {
    const text = availabilityMessage(day, [new Date('2026-06-02T13:30:00Z'), new Date('2026-06-02T13:00:00Z')], NY);
    expect(text).toBe('On Tuesday, June 2 I have 9:00 AM or 9:30 AM free. Which would you like?');
    expectOneLine(text);
  });

  it('caps the list at five and says there are more', () => {
    const slots = Array.from({ length: 8 }, (_, i) => new Date(Date.UTC(2026, 5, 2, 13 + i)));
    expect(availabilityMessage(day, slots, NY)).toBe(
      'On Tuesday, June 2 I have 9:00 AM, 10:00 AM, 11:00 AM, 12:00 PM, or 1:00 PM free, and later times too. Which would you like?',
    );
  });

  it('says when the day is full', () => {
    expect(availabilityMessage(day, [], NY)).toBe('I have no free times on Tuesday, June 2. Would another day work?');
  });

  it('adds the year for a day in another year', () => {
    expect(availabilityMessage({ year: 2027, month: 1, day: 5 }, [], NY, { now: NOW })).toBe(
      'I have no free times on Tuesday, January 5, 2027. Would another day work?',
    );
  });
});

describe('errorMessage', () => {
  it('has a one-line answer for every code', () => {
    for (const code of [...DATABASE_CODES, ...EDGE_CODES]) {
      const text = errorMessage(code);
      expect(text.length).toBeGreaterThan(10);
      expectOneLine(text);
    }
  });

  it('uses the agreed wording where it is fixed', () => {
    expect(errorMessage('INVALID_PHONE')).toMatch(/^I didn't catch a valid phone number/);
    expect(errorMessage('UNAVAILABLE')).toBe("I couldn't book that right now, please try again in a moment.");
    expect(errorMessage('INVALID_DATE')).toMatch(/date and time/);
    expect(errorMessage('PAST_TIME')).toMatch(/already passed/);
  });

  it('offers alternatives for SLOT_UNAVAILABLE and OUTSIDE_BUSINESS_HOURS', () => {
    const alternatives = [new Date('2026-06-02T15:30:00Z')];
    expect(errorMessage('SLOT_UNAVAILABLE', { alternatives, timeZone: NY })).toBe(
      slotTakenMessage(alternatives, NY),
    );
    expect(errorMessage('OUTSIDE_BUSINESS_HOURS', { alternatives, timeZone: NY })).toBe(
      outsideHoursMessage(alternatives, NY),
    );
    // Without a zone the times cannot be said correctly, so none are offered.
    expect(errorMessage('SLOT_UNAVAILABLE', { alternatives })).toBe(slotTakenMessage([], 'UTC'));
  });
});

describe('date questions, the horizon and the repeated hour', () => {
  it('asks one short question for each kind of ambiguity', () => {
    expect(clarificationMessage({ kind: 'weekday_mismatch', said: { year: 2026, month: 12, day: 17 }, saidWeekday: 5, nearest: { year: 2026, month: 12, day: 18 } }))
      .toBe('December 17 is a Thursday — Thursday the 17th or Friday the 18th?');
    expect(clarificationMessage({ kind: 'am_or_pm', day: { year: 2026, month: 6, day: 2 }, hour: 7, minute: 0 })).toBe('7 in the morning or 7 in the evening?');
    expect(clarificationMessage({ kind: 'am_or_pm', day: { year: 2026, month: 6, day: 2 }, hour: 2, minute: 30 })).toBe('2:30 in the morning or 2:30 in the afternoon?');
    expect(clarificationMessage({ kind: 'day_or_month_first', first: { year: 2026, month: 7, day: 8 }, second: { year: 2026, month: 8, day: 7 } }))
      .toBe('Do you mean July 8 or August 7?');
    expect(clarificationMessage({ kind: 'which_time', day: { year: 2026, month: 6, day: 2 } })).toBe('What time on Tuesday, June 2 would suit you?');
  });

  it('names the furthest bookable day for BEYOND_HORIZON', () => {
    expect(errorMessage('BEYOND_HORIZON', { latestDate: { year: 2027, month: 6, day: 1 } }))
      .toBe('I can only book up to Tuesday, June 1, 2027. Which earlier day would suit you?');
  });

  it('says which 1:30 it is on the night the clocks go back, and nothing extra otherwise', () => {
    expect(formatTime(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('1:30 AM EDT');
    expect(formatTime(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('1:30 AM EST');
    expect(formatTime(new Date('2026-11-01T07:30:00Z'), 'America/New_York')).toBe('2:30 AM');
    expect(formatTime(new Date('2026-10-25T00:30:00Z'), 'Europe/London')).toBe('1:30 AM BST');
    expect(formatTime(new Date('2026-10-25T01:30:00Z'), 'Europe/London')).toBe('1:30 AM GMT');
  });

  it('says which Tuesday "next Tuesday" took when it skipped a nearer one', () => {
    expect(bookedMessage(new Date('2026-06-09T19:00:00Z'), 'America/New_York', { note: { kind: 'next_week', skipped: { year: 2026, month: 6, day: 2 } } }))
      .toBe("You're booked for Tuesday, June 9 at 3:00 PM. That's Tuesday next week, not Tuesday, June 2.");
  });
});
