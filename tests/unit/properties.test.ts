import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { initcap, normalizeName } from '../../supabase/functions/_shared/contact.ts';
import { understandWhen } from '../../supabase/functions/_shared/dates.ts';

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

describe('properties', () => {
  it('a resolved date is never on a day before the clinic\'s today, and within a year of it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2032-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.option(fc.integer({ min: 2015, max: 2035 }), { nil: undefined }),
        fc.integer({ min: 0, max: 23 }),
        (zone, now, month, day, year, hour) => {
          const date = `${MONTHS[month - 1]} ${day}${year === undefined ? '' : `, ${year}`}`;
          // 24-hour times ("07:00", "19:00"), so no am/pm question; a horizon far enough for any year here.
          const result = understandWhen({ date, time: `${String(hour).padStart(2, '0')}:00` }, { timeZone: zone, country: 'US', businessHours: [], horizonDays: 36_500 }, now);
          const today = DateTime.fromJSDate(now, { zone }).startOf('day');
          if (result.kind !== 'instant') {
            // Only impossible days are refused: the day must not exist in the year the rules
            // land on (the given or current year, one later if that day has already passed).
            const base = Math.max(year ?? today.year, today.year);
            const inBase = DateTime.fromObject({ year: base, month, day }, { zone });
            const landed = inBase.isValid && inBase < today ? base + 1 : base;
            expect(DateTime.fromObject({ year: landed, month, day }).isValid).toBe(false);
            return;
          }
          const local = DateTime.fromJSDate(result.start, { zone });
          expect(local.month).toBe(month);
          expect(local.day).toBe(day);
          expect(local.startOf('day') >= today).toBe(true);
          if (year === undefined || year <= today.year) {
            expect(local.startOf('day') < today.plus({ years: 1 })).toBe(true);
          } else {
            expect(local.year).toBe(year);
            expect(result.correction).toBe('none');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('normalizeName output is a fixed point of Postgres initcap and fits the table', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (raw) => {
        const name = normalizeName(raw);
        if (name === null) return;
        expect(initcap(name)).toBe(name);
        expect(name).toBe(name.trim());
        expect([...name].length).toBeLessThanOrEqual(100);
        expect(name).not.toMatch(/\s{2,}/);
      }),
      { numRuns: 500 },
    );
  });
});
