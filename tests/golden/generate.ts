// Writes tests/golden/dates.json: the golden table of what the endpoint understands.
// Expectations are computed here from the rules in docs/dates.md with luxon, independently of
// dates.ts (which the test then checks against every row). Run: npx tsx tests/golden/generate.ts
import { writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';

export interface GoldenClinic { timeZone: string; country: string; hours: { weekday: number; opensAt: string; closesAt: string }[]; horizonDays: number }
export type Expect = { instant: string } | { day: string } | { ask: string } | { refuse: string; latest?: string };
export interface GoldenCase { clinic: string; now: string; tool: 'book' | 'day'; date?: string; time?: string; scheduledAt?: string; expect: Expect }

const NY_HOURS = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '06:00', closesAt: '20:00' }));
const LONDON_HOURS = [
  ...[1, 2, 3, 4, 5].flatMap((weekday) => [{ weekday, opensAt: '08:00', closesAt: '12:30' }, { weekday, opensAt: '13:30', closesAt: '18:00' }]),
  { weekday: 6, opensAt: '09:00', closesAt: '13:00' },
];
export const CLINICS: Record<string, GoldenClinic> = {
  // The two demo clinics of supabase/seed.sql.
  'new-york': { timeZone: 'America/New_York', country: 'US', hours: NY_HOURS, horizonDays: 365 },
  london: { timeZone: 'Europe/London', country: 'GB', hours: LONDON_HOURS, horizonDays: 365 },
  // A clinic whose country does not settle slash dates, and one open round the clock.
  tokyo: { timeZone: 'Asia/Tokyo', country: 'JP', hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensAt: '09:00', closesAt: '18:00' })), horizonDays: 90 },
  'ny-24h': { timeZone: 'America/New_York', country: 'US', hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '00:00', closesAt: '00:00' })), horizonDays: 365 },
};

const cases: GoldenCase[] = [];
const zoneOf = (clinic: string): string => CLINICS[clinic]?.timeZone ?? 'UTC';
/** "now" given as clinic-local wall time. */
const nowAt = (clinic: string, local: string): string => DateTime.fromISO(local, { zone: zoneOf(clinic) }).toUTC().toISO() ?? '';
const instant = (clinic: string, local: string): Expect => ({ instant: DateTime.fromISO(local, { zone: zoneOf(clinic) }).toUTC().toISO() ?? '' });
const add = (c: GoldenCase): void => { cases.push(c); };
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthDay = (d: DateTime): string => `${MONTHS[d.month - 1]} ${d.day}`;

// 1. Relative days and weekday words, at several pinned clocks, in both demo clinics.
const CLOCKS: Record<string, string[]> = {
  'new-york': ['2026-06-01T12:00', '2026-12-30T19:50', '2027-03-12T10:00', '2026-10-29T23:59'],
  london: ['2026-06-01T12:00', '2026-12-31T23:30', '2027-03-25T09:00', '2026-10-22T07:00'],
};
for (const [clinic, clocks] of Object.entries(CLOCKS)) {
  for (const local of clocks) {
    const now = nowAt(clinic, local);
    const today = DateTime.fromISO(local, { zone: zoneOf(clinic) }).startOf('day');
    const at10 = (d: DateTime) => instant(clinic, `${d.toISODate()}T10:00`);
    for (const [text, days] of [['today', 0], ['tomorrow', 1], ['the day after tomorrow', 2], ['in 2 days', 2], ['in two days', 2], ['in a week', 7], ['in two weeks', 14], ['a week from today', 7], ['in 10 days', 10]] as const) {
      add({ clinic, now, tool: 'book', date: text, time: '10am', expect: at10(today.plus({ days })) });
    }
    for (let w = 1; w <= 7; w += 1) {
      const name = WEEKDAYS[w - 1] ?? '';
      const ahead = (w - today.weekday + 7) % 7;
      const nearest = today.plus({ days: ahead });
      const nextWeek = today.plus({ days: 8 - today.weekday + (w - 1) });
      add({ clinic, now, tool: 'book', date: `this ${name}`, time: '10am', expect: at10(nearest) });
      add({ clinic, now, tool: 'book', date: name, time: '10 am', expect: ahead === 0
        ? { ask: `Do you mean today, or ${name} next week, ${monthDay(today.plus({ days: 7 }))}?` }
        : at10(nearest) });
      add({ clinic, now, tool: 'book', date: `next ${name}`, time: '10:00 AM', expect: at10(nextWeek) });
      add({ clinic, now, tool: 'book', date: `${name.toLowerCase()} next week`, time: 'ten am', expect: at10(nextWeek) });
      add({ clinic, now, tool: 'book', date: `next week ${name}`, time: '10 a.m.', expect: at10(nextWeek) });
      add({ clinic, now, tool: 'day', date: `${name.slice(0, 3)}`, expect: ahead === 0 ? { ask: `Do you mean today, or ${name} next week, ${monthDay(today.plus({ days: 7 }))}?` } : { day: nearest.toISODate() ?? '' } });
    }
  }
}

// 2. Clock times: every spoken form, on a London weekday and a New York day.
const TIME_DAY = { 'new-york': '2026-06-02', london: '2026-06-02' } as const; // a Tuesday
const TIME_NOW = '2026-06-01T12:00';
const TIMES: Array<[string, Record<'new-york' | 'london', string | { ask: string }>]> = [
  ['3pm', { 'new-york': '15:00', london: '15:00' }],
  ['3 PM', { 'new-york': '15:00', london: '15:00' }],
  ['3:00 p.m.', { 'new-york': '15:00', london: '15:00' }],
  ['15:00', { 'new-york': '15:00', london: '15:00' }],
  ['three pm', { 'new-york': '15:00', london: '15:00' }],
  ["3 o'clock", { 'new-york': '15:00', london: '15:00' }],
  ["three o'clock", { 'new-york': '15:00', london: '15:00' }],
  ['half past two', { 'new-york': '14:30', london: '14:30' }],
  ['quarter past two', { 'new-york': '14:15', london: '14:15' }],
  ['quarter to three', { 'new-york': '14:45', london: '14:45' }],
  ['ten to four', { 'new-york': '15:50', london: '15:50' }],
  ['twenty past nine', { 'new-york': '09:20', london: '09:20' }],
  ['half two', { 'new-york': '14:30', london: '14:30' }],
  ['2:30', { 'new-york': '14:30', london: '14:30' }],
  ['two thirty', { 'new-york': '14:30', london: '14:30' }],
  ['two thirty pm', { 'new-york': '14:30', london: '14:30' }],
  ['ten fifteen', { 'new-york': '10:15', london: '10:15' }],
  ['three forty-five', { 'new-york': '15:45', london: '15:45' }],
  ['noon', { 'new-york': '12:00', london: '12:00' }],
  ['12 noon', { 'new-york': '12:00', london: '12:00' }],
  ['midday', { 'new-york': '12:00', london: '12:00' }],
  ['12:45', { 'new-york': '12:45', london: '12:45' }],
  ['9', { 'new-york': '09:00', london: '09:00' }],
  ['11:30', { 'new-york': '11:30', london: '11:30' }],
  ['4', { 'new-york': '16:00', london: '16:00' }],
  ['5:30', { 'new-york': '17:30', london: '17:30' }],
  ['07:30', { 'new-york': '07:30', london: '07:30' }],
  ['7', { 'new-york': { ask: '7 in the morning or 7 in the evening?' }, london: { ask: '7 in the morning or 7 in the evening?' } }],
  ['6:30', { 'new-york': { ask: '6:30 in the morning or 6:30 in the evening?' }, london: { ask: '6:30 in the morning or 6:30 in the evening?' } }],
  ['8', { 'new-york': '08:00', london: '08:00' }], // 20:00 is closing time in New York, not a start
  ['9 in the morning', { 'new-york': '09:00', london: '09:00' }],
  ['4 in the afternoon', { 'new-york': '16:00', london: '16:00' }],
  ['at 10', { 'new-york': '10:00', london: '10:00' }],
];
for (const clinic of ['new-york', 'london'] as const) {
  for (const [time, want] of TIMES) {
    const w = want[clinic];
    add({ clinic, now: nowAt(clinic, TIME_NOW), tool: 'book', date: 'tomorrow', time, expect: typeof w === 'string' ? instant(clinic, `${TIME_DAY[clinic]}T${w}`) : w });
  }
  add({ clinic, now: nowAt(clinic, TIME_NOW), tool: 'book', date: 'tomorrow', time: 'midnight', expect: instant(clinic, `${TIME_DAY[clinic]}T00:00`) });
}
// A 24-hour clinic fits both readings: asked.
add({ clinic: 'ny-24h', now: nowAt('ny-24h', TIME_NOW), tool: 'book', date: 'tomorrow', time: '2:30', expect: { ask: '2:30 in the morning or 2:30 in the afternoon?' } });
add({ clinic: 'ny-24h', now: nowAt('ny-24h', TIME_NOW), tool: 'book', date: 'tomorrow', time: '2:30 am', expect: instant('ny-24h', '2026-06-02T02:30') });

// 3. Month names in every order, with and without a year, in both clinics.
const DATE_NOW = '2026-06-01T12:00';
const DEC18 = ['December 18', '18 December', 'Dec 18th', 'Dec. 18', 'the 18th of December', 'December the 18th', '18th Dec', 'December eighteenth',
  'the eighteenth of December', 'December 18, 2026', '18 December 2026', 'Friday, December 18', 'Fri 18 Dec', 'on December 18th', '12/18/2026', '2026-12-18',
  'Dec 18 \'26', 'December 18 2024'];
for (const clinic of ['new-york', 'london'] as const) {
  for (const date of DEC18) {
    add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date, time: '2:30 pm', expect: instant(clinic, '2026-12-18T14:30') });
  }
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'December 18', time: '2:30', expect: instant(clinic, '2026-12-18T14:30') });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'December 18 at 2:30', expect: instant(clinic, '2026-12-18T14:30') });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'Friday, December 17', time: '5pm', expect: { ask: 'December 17 is a Thursday — Thursday the 17th or Friday the 18th?' } });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'Thursday, December 17', time: '5pm', expect: instant(clinic, '2026-12-17T17:00') });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'Monday the 18th', time: '10am', expect: { ask: 'June 18 is a Thursday — Thursday the 18th or Monday the 15th?' } });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'the 18th', time: '10am', expect: instant(clinic, '2026-06-18T10:00') });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'on the 1st', time: '10am', expect: instant(clinic, '2026-06-01T10:00') });
  add({ clinic, now: nowAt(clinic, '2026-06-20T12:00'), tool: 'book', date: 'the 18th', time: '10am', expect: instant(clinic, '2026-07-18T10:00') });
  add({ clinic, now: nowAt(clinic, '2026-06-20T12:00'), tool: 'book', date: 'the 31st', time: '10am', expect: instant(clinic, '2026-07-31T10:00') });
  add({ clinic, now: nowAt(clinic, '2026-06-20T12:00'), tool: 'book', date: 'the twenty-first', time: '10am', expect: instant(clinic, '2026-06-21T10:00') });
  // Year rules: a stale year → this year; a passed day → next year.
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'January 5', time: '10am', expect: instant(clinic, '2027-01-05T10:00') });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'June 2, 2024', time: '10am', expect: instant(clinic, '2026-06-02T10:00') });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'May 31', time: '10am', expect: instant(clinic, '2027-05-31T10:00') });
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date: 'June 1', time: '4pm', expect: instant(clinic, '2026-06-01T16:00') });
}

// 4. Slash dates follow the clinic's country; unclear ones are asked.
const SLASH: Array<[string, string, Expect | string]> = [
  ['new-york', '05/12', '2027-05-12'], ['london', '05/12', '2026-12-05'],
  ['new-york', '12/05', '2026-12-05'], ['london', '12/05', '2027-05-12'],
  ['new-york', '13/05', '2027-05-13'], ['london', '13/05', '2027-05-13'],
  ['new-york', '05/13', '2027-05-13'], ['london', '05/13', '2027-05-13'],
  ['new-york', '7/4/2026', '2026-07-04'], ['london', '7/4/2026', '2027-04-07'],
  ['new-york', '06/06', '2026-06-06'], ['london', '06/06', '2026-06-06'],
  ['london', '18.12.2026', '2026-12-18'], ['london', '5-12-26', '2026-12-05'],
  ['new-york', '2026/12/05', '2026-12-05'], ['london', '2026/12/05', '2026-12-05'],
  ['new-york', '12/31/99', { refuse: 'BEYOND_HORIZON', latest: '2027-06-01' }],
  ['london', '31/12/99', { refuse: 'BEYOND_HORIZON', latest: '2027-06-01' }],
  ['new-york', '13/45/2026', { refuse: 'INVALID_DATE' }],
];
for (const [clinic, date, want] of SLASH) {
  add({ clinic, now: nowAt(clinic, DATE_NOW), tool: 'book', date, time: '10am', expect: typeof want === 'string' ? instant(clinic, `${want}T10:00`) : want });
}
add({ clinic: 'tokyo', now: nowAt('tokyo', DATE_NOW), tool: 'book', date: '07/08', time: '10am', expect: { ask: 'Do you mean July 8 or August 7?' } });
add({ clinic: 'tokyo', now: nowAt('tokyo', DATE_NOW), tool: 'book', date: '07/18', time: '10am', expect: instant('tokyo', '2026-07-18T10:00') });
add({ clinic: 'tokyo', now: nowAt('tokyo', DATE_NOW), tool: 'day', date: '06/07', expect: { ask: 'Do you mean June 7 or July 6?' } });

// 5. The horizon (365 days; 90 in Tokyo): the last day books, the next is refused with it named.
for (const clinic of ['new-york', 'london'] as const) {
  const now = nowAt(clinic, DATE_NOW);
  add({ clinic, now, tool: 'book', date: 'June 1 2027', time: '10am', expect: instant(clinic, '2027-06-01T10:00') });
  add({ clinic, now, tool: 'book', date: 'June 2 2027', time: '10am', expect: { refuse: 'BEYOND_HORIZON', latest: '2027-06-01' } });
  add({ clinic, now, tool: 'book', date: 'June 2 2207', time: '10am', expect: { refuse: 'BEYOND_HORIZON', latest: '2027-06-01' } });
  add({ clinic, now, tool: 'day', date: 'June 2 2207', expect: { refuse: 'BEYOND_HORIZON', latest: '2027-06-01' } });
  add({ clinic, now, tool: 'book', date: 'in 400 days', time: '10am', expect: { refuse: 'BEYOND_HORIZON', latest: '2027-06-01' } });
  add({ clinic, now, tool: 'book', scheduledAt: '2030-01-01T10:00:00', expect: { refuse: 'BEYOND_HORIZON', latest: '2027-06-01' } });
}
add({ clinic: 'tokyo', now: nowAt('tokyo', DATE_NOW), tool: 'book', date: 'September 1', time: '10am', expect: { refuse: 'BEYOND_HORIZON', latest: '2026-08-30' } });

// 6. Year ends and February 29.
for (const clinic of ['new-york', 'london'] as const) {
  const eve = nowAt(clinic, '2026-12-31T23:30');
  add({ clinic, now: eve, tool: 'book', date: 'tomorrow', time: '10am', expect: instant(clinic, '2027-01-01T10:00') });
  add({ clinic, now: eve, tool: 'book', date: 'January 1', time: '10am', expect: instant(clinic, '2027-01-01T10:00') });
  add({ clinic, now: eve, tool: 'book', date: 'December 31', time: '11:45 pm', expect: instant(clinic, '2026-12-31T23:45') });
  add({ clinic, now: eve, tool: 'book', date: 'January 2, 2026', time: '10am', expect: instant(clinic, '2027-01-02T10:00') });
  add({ clinic, now: eve, tool: 'book', date: 'next Friday', time: '10am', expect: instant(clinic, '2027-01-08T10:00') });
  const newYear = nowAt(clinic, '2027-01-01T00:10');
  add({ clinic, now: newYear, tool: 'book', date: 'December 31', time: '10am', expect: instant(clinic, '2027-12-31T10:00') });
  add({ clinic, now: newYear, tool: 'book', date: 'yesterday', time: '10am', expect: { refuse: 'PAST_TIME' } });
  add({ clinic, now: newYear, tool: 'book', date: '2026-12-31', time: '10am', expect: instant(clinic, '2027-12-31T10:00') });
  const leap = nowAt(clinic, '2028-02-27T12:00');
  add({ clinic, now: leap, tool: 'book', date: 'February 29', time: '10am', expect: instant(clinic, '2028-02-29T10:00') });
  add({ clinic, now: leap, tool: 'book', date: 'the 29th', time: '10am', expect: instant(clinic, '2028-02-29T10:00') });
  add({ clinic, now: leap, tool: 'book', date: 'in 2 days', time: '10am', expect: instant(clinic, '2028-02-29T10:00') });
  add({ clinic, now: leap, tool: 'book', date: '29/02', time: '10am', expect: instant(clinic, '2028-02-29T10:00') });
  add({ clinic, now: nowAt(clinic, '2026-01-10T12:00'), tool: 'book', date: 'February 29', time: '10am', expect: { ask: "There's no February 29 in 2026 — February 28 or March 1?" } });
  add({ clinic, now: nowAt(clinic, '2027-06-10T12:00'), tool: 'book', date: 'February 29', time: '10am', expect: instant(clinic, '2028-02-29T10:00') });
  add({ clinic, now: nowAt(clinic, '2028-03-05T12:00'), tool: 'book', date: '29 February 2028', time: '10am', expect: { ask: "There's no February 29 in 2029 — February 28 or March 1?" } });
}

// 7. Both DST days of each zone: gaps move forward, repeated times are the earlier instant,
// an explicit offset is kept exactly.
const DST: Array<[string, string, string, string]> = [
  // clinic, day, time said, expected UTC
  ['ny-24h', '2027-03-14', '2:30 am', '2027-03-14T07:30:00.000Z'],
  ['ny-24h', '2027-03-14', '1:30 am', '2027-03-14T06:30:00.000Z'],
  ['ny-24h', '2027-03-14', '3:00 am', '2027-03-14T07:00:00.000Z'],
  ['ny-24h', '2027-03-14', '02:00', '2027-03-14T07:00:00.000Z'],
  ['ny-24h', '2026-11-01', '1:30 am', '2026-11-01T05:30:00.000Z'],
  ['ny-24h', '2026-11-01', '12:30 am', '2026-11-01T04:30:00.000Z'],
  ['ny-24h', '2026-11-01', '2:00 am', '2026-11-01T07:00:00.000Z'],
  ['ny-24h', '2026-11-01', '01:00', '2026-11-01T05:00:00.000Z'],
  ['new-york', '2027-03-14', '10am', '2027-03-14T14:00:00.000Z'],
  ['new-york', '2026-11-01', '10am', '2026-11-01T15:00:00.000Z'],
  ['london', '2027-03-28', '01:30', '2027-03-28T01:30:00.000Z'],
  ['london', '2027-03-28', '1:00 am', '2027-03-28T01:00:00.000Z'],
  ['london', '2027-03-28', '00:30', '2027-03-28T00:30:00.000Z'],
  ['london', '2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'],
  ['london', '2026-10-25', '1:00 am', '2026-10-25T00:00:00.000Z'],
  ['london', '2026-10-25', '02:00', '2026-10-25T02:00:00.000Z'],
  ['london', '2027-03-26', '9am', '2027-03-26T09:00:00.000Z'],
  ['london', '2026-10-26', '9am', '2026-10-26T09:00:00.000Z'],
];
for (const [clinic, day, time, utc] of DST) {
  add({ clinic, now: nowAt(clinic, '2026-10-20T12:00'), tool: 'book', date: day, time, expect: { instant: utc } });
}
add({ clinic: 'new-york', now: nowAt('new-york', '2027-10-20T12:00'), tool: 'book', scheduledAt: '2027-11-07T01:30:00-05:00', expect: { instant: '2027-11-07T06:30:00.000Z' } });
add({ clinic: 'new-york', now: nowAt('new-york', '2027-10-20T12:00'), tool: 'book', scheduledAt: '2027-11-07T01:30:00-04:00', expect: { instant: '2027-11-07T05:30:00.000Z' } });
add({ clinic: 'new-york', now: nowAt('new-york', '2027-10-20T12:00'), tool: 'book', scheduledAt: '2027-11-07T01:30:00', expect: { instant: '2027-11-07T05:30:00.000Z' } });
add({ clinic: 'london', now: nowAt('london', '2026-10-20T12:00'), tool: 'book', scheduledAt: '2026-10-25T01:30:00Z', expect: { instant: '2026-10-25T01:30:00.000Z' } });
// The DST days themselves read as days by the availability tool.
for (const [clinic, day] of [['new-york', '2027-03-14'], ['new-york', '2026-11-01'], ['london', '2027-03-28'], ['london', '2026-10-25']] as const) {
  add({ clinic, now: nowAt(clinic, '2026-10-20T12:00'), tool: 'day', date: day, expect: { day } });
}
// "now" on the DST day itself: tomorrow is still one calendar day on.
add({ clinic: 'new-york', now: nowAt('new-york', '2026-11-01T23:30'), tool: 'book', date: 'tomorrow', time: '9am', expect: instant('new-york', '2026-11-02T09:00') });
add({ clinic: 'london', now: nowAt('london', '2027-03-28T00:30'), tool: 'book', date: 'today', time: '3pm', expect: instant('london', '2027-03-28T15:00') });

// 8. What is asked back, what is refused, and scheduledAt.
for (const clinic of ['new-york', 'london'] as const) {
  const now = nowAt(clinic, DATE_NOW);
  add({ clinic, now, tool: 'book', date: 'December', time: '10am', expect: { ask: 'Which day in December would suit you?' } });
  add({ clinic, now, tool: 'book', date: 'next week', time: '10am', expect: { ask: 'Which day would suit you?' } });
  add({ clinic, now, tool: 'book', date: 'next month', time: '10am', expect: { ask: 'Which day would suit you?' } });
  add({ clinic, now, tool: 'book', date: 'tomorrow', expect: { ask: 'What time on Tuesday, June 2 would suit you?' } });
  add({ clinic, now, tool: 'book', date: 'Smarch 2', time: '10am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'June 31', time: '10am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'next blursday', time: '10am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'June 2 2026 2026', time: '10am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'June 2', time: '1100', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'June 2', time: '13pm', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'June 2', time: '25:00', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'last Tuesday', time: '10am', expect: { refuse: 'PAST_TIME' } });
  add({ clinic, now, tool: 'book', date: 'tomorrow at 10', time: '11am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'tomorrow at 10am', expect: instant(clinic, '2026-06-02T10:00') });
  add({ clinic, now, tool: 'book', date: 'next Tuesday at 3pm', expect: instant(clinic, '2026-06-09T15:00') });
  add({ clinic, now, tool: 'book', date: 'Tuesday at half past two', expect: instant(clinic, '2026-06-02T14:30') });
  add({ clinic, now, tool: 'book', scheduledAt: '2026-06-02T11:00:00', expect: instant(clinic, '2026-06-02T11:00') });
  add({ clinic, now, tool: 'book', scheduledAt: '2026-06-02 14:00', expect: instant(clinic, '2026-06-02T14:00') });
  add({ clinic, now, tool: 'book', scheduledAt: 'whenever', date: 'June 2', time: '11am', expect: instant(clinic, '2026-06-02T11:00') });
  add({ clinic, now, tool: 'day', date: 'Saturday', expect: { day: '2026-06-06' } });
  add({ clinic, now, tool: 'day', date: 'next week', expect: { ask: 'Which day would suit you?' } });
  add({ clinic, now, tool: 'day', date: 'the 18th', expect: { day: '2026-06-18' } });
  add({ clinic, now, tool: 'day', date: 'tomorrow afternoon', expect: { day: '2026-06-02' } });
  add({ clinic, now, tool: 'day', date: 'someday', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'tomorrow morning', time: '7', expect: instant(clinic, '2026-06-02T07:00') });
  add({ clinic, now, tool: 'book', date: 'tomorrow evening', time: '7', expect: instant(clinic, '2026-06-02T19:00') });
  add({ clinic, now, tool: 'book', date: 'tonight', time: '6:30', expect: instant(clinic, '2026-06-01T18:30') });
  add({ clinic, now, tool: 'book', date: 'the first Monday of July', time: '10am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'Tuesday after next', time: '10am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'Christmas Eve', time: '10am', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'tomorrow', time: '3pm Eastern', expect: { refuse: 'INVALID_DATE' } });
  add({ clinic, now, tool: 'book', date: 'in 2 hours', expect: { ask: 'What time on Monday, June 1 would suit you?' } });
}

writeFileSync(new URL('./dates.json', import.meta.url), `${JSON.stringify({ clinics: CLINICS, cases }, null, 1)}\n`);
console.log(`${cases.length} cases`);
