// The pure parts of the release scripts: argument parsing, error lines without secrets, the
// date oracle of the validation (against the endpoint's resolver across year boundaries), and
// rollback planning.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { dbUrlFrom, parseArgs, UsageError } from '../../scripts/ops/cli-args.ts';
import { describeTarget, oneLine } from '../../scripts/ops/connect.ts';
import { OperatorError } from '../../scripts/ops/cli-main.ts';
import { compareVersions, listMigrationFiles } from '../../scripts/ops/migration-files.ts';
import { planRollback } from '../../scripts/ops/rollback-plan.ts';
import { expectedResolution } from '../../scripts/ops/validate-checks.ts';
import { understandWhen } from '../../supabase/functions/_shared/dates.ts';

describe('parseArgs', () => {
  const spec = { values: ['db-url', 'to'], flags: ['json'] } as const;

  it('reads --name value, --name=value and flags', () => {
    expect(parseArgs(['--db-url', 'postgresql://a', '--to=0', '--json'], spec)).toEqual({
      values: { 'db-url': 'postgresql://a', to: '0' },
      flags: { json: true },
    });
  });

  it.each([
    [['--db-url'], '--db-url needs a value'],
    [['--db-url', '--json'], '--db-url needs a value'],
    [['--nope'], 'unknown option --nope'],
    [['stray'], 'unexpected argument "stray"'],
    [['--json=yes'], '--json takes no value'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv, spec)).toThrow(new UsageError(message));
  });

  it('takes the URL from SUPABASE_DB_URL when --db-url is absent', () => {
    expect(dbUrlFrom({}, { SUPABASE_DB_URL: 'postgresql://env' })).toBe('postgresql://env');
    expect(dbUrlFrom({ 'db-url': 'postgresql://flag' }, { SUPABASE_DB_URL: 'postgresql://env' })).toBe('postgresql://flag');
    expect(() => dbUrlFrom({}, {})).toThrow(UsageError);
  });
});

describe('connection messages', () => {
  it('names the target without the password', () => {
    expect(describeTarget('postgresql://postgres.abc:p%40ss@db.example.com:6543/postgres?sslmode=require'))
      .toBe('postgres.abc@db.example.com:6543/postgres');
  });

  it('reduces errors to one line and redacts URLs with passwords', () => {
    expect(oneLine(new Error('bad\n  thing at postgres://u:hunter2@h/db'))).toBe('bad thing at postgres://u:***@h/db');
  });

  it('refuses what is not a postgres URL', () => {
    expect(() => describeTarget('mysql://x@y/z')).toThrow('must start with postgresql://');
    expect(() => describeTarget('not a url')).toThrow('not a valid postgresql://');
  });
});

describe('the validation date oracle agrees with the endpoint resolver', () => {
  // The clock days around the year boundary and a leap day, as validate picks its inputs:
  // a day a week ahead with last year's year, and a day a week ago.
  const clocks = [
    ...Array.from({ length: 16 }, (_, i) => DateTime.fromISO('2026-12-24T15:00', { zone: 'America/New_York' }).plus({ days: i })),
    ...Array.from({ length: 10 }, (_, i) => DateTime.fromISO('2028-02-26T15:00', { zone: 'America/New_York' }).plus({ days: i })),
  ];
  const iso = (d: DateTime): string => d.toFormat('yyyy-MM-dd');
  const skipLeapDay = (d: DateTime, step: number): DateTime => (d.toFormat('MM-dd') === '02-29' ? d.plus({ days: step }) : d);

  it.each(clocks.map((c) => [c.toISODate() ?? '', c] as const))('clock %s', (_label, clock) => {
    const today = iso(clock);
    const ahead = skipLeapDay(clock.plus({ days: 7 }), 1);
    const inputs = [`${ahead.year - 1}-${ahead.toFormat('MM-dd')}`, iso(skipLeapDay(clock.minus({ days: 7 }), -1))];
    for (const date of inputs) {
      const resolved = understandWhen({ date, time: '10:00' }, { timeZone: 'America/New_York', country: 'US', businessHours: [], horizonDays: 365 }, clock.toJSDate());
      const want = expectedResolution(date, today);
      if (resolved.kind !== 'instant') throw new Error(`${date} unresolved`);
      expect(resolved.correction).not.toBe('none');
      expect([resolved.correction, DateTime.fromJSDate(resolved.start, { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm')])
        .toEqual([want.correction, `${want.day} 10:00`]);
      expect(resolved.start.getTime()).toBeGreaterThan(clock.toMillis());
    }
  });
});

describe('planRollback', () => {
  const versions = listMigrationFiles().map((m) => m.version);

  it('reverts newer versions newest first', () => {
    const middle = versions[5] ?? '';
    expect(planRollback(versions, middle).map((s) => s.version)).toEqual(versions.slice(6).reverse());
    expect(planRollback(versions, '0')).toHaveLength(versions.length);
    expect(planRollback(versions.slice(0, 3), versions.at(-1) ?? '')).toEqual([]);
  });

  it('refuses an unknown target and an applied version it has no file for', () => {
    expect(() => planRollback(versions, '12')).toThrow(OperatorError);
    expect(() => planRollback(versions, 'latest')).toThrow('--to must be 0 or a migration version');
    expect(() => planRollback([...versions, '29990101000000'], '0')).toThrow('29990101000000 is applied but has no migration file here');
  });

  it('compares versions as numbers', () => {
    expect(compareVersions('9', '10')).toBe(-1);
    expect(['20261125101200', '20261125100000', '0'].sort(compareVersions)).toEqual(['0', '20261125100000', '20261125101200']);
  });
});
