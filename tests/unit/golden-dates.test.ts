// The golden table (tests/golden/dates.json, written by tests/golden/generate.ts from the rules
// in docs/dates.md): every (clinic, pinned now, what was said) row must come out as the
// instant, the question or the refusal it lists.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIsoDay, understandDay, understandWhen, type ClinicCalendar } from '../../supabase/functions/_shared/dates.ts';
import { clarificationMessage } from '../../supabase/functions/_shared/speech.ts';
import type { Expect, GoldenCase, GoldenClinic } from '../golden/generate.ts';

const table = JSON.parse(readFileSync(new URL('../golden/dates.json', import.meta.url), 'utf8')) as {
  clinics: Record<string, GoldenClinic>;
  cases: GoldenCase[];
};

function clinicOf(name: string): ClinicCalendar {
  const c = table.clinics[name];
  if (!c) throw new Error(`unknown clinic ${name}`);
  return { timeZone: c.timeZone, country: c.country, businessHours: c.hours, horizonDays: c.horizonDays };
}

function actual(row: GoldenCase): Expect {
  const clinic = clinicOf(row.clinic);
  const now = new Date(row.now);
  const got = row.tool === 'day'
    ? understandDay(row.date, clinic, now)
    : understandWhen({ scheduledAt: row.scheduledAt, date: row.date, time: row.time }, clinic, now);
  switch (got.kind) {
    case 'instant': return { instant: got.start.toISOString() };
    case 'day': return { day: formatIsoDay(got.day) };
    case 'ask': return { ask: clarificationMessage(got.question) };
    case 'refuse': return got.code === 'BEYOND_HORIZON' ? { refuse: got.code, latest: formatIsoDay(got.latestDate) } : { refuse: got.code };
  }
}

describe('golden table of dates', () => {
  it('is large enough and covers both demo clinics', () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(table.cases.map((c) => c.clinic))).toEqual(new Set(['new-york', 'london', 'tokyo', 'ny-24h']));
  });

  it.each(table.cases.map((row, i) => [`#${i} ${row.clinic} @${row.now} ${JSON.stringify([row.scheduledAt, row.date, row.time].filter((v) => v !== undefined))}`, row] as const))(
    '%s',
    (_label, row) => {
      expect(actual(row)).toEqual(row.expect);
    },
  );
});
