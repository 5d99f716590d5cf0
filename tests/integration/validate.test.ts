// The release validation against a healthy database (4/4, nothing left behind), against one
// whose behaviour is wrong in one respect (that criterion fails, exit 1), against one without
// the schema, and against one it cannot reach.
import { afterAll, describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../scripts/ops/validate-checks.ts';
import { runScript } from '../support/run-script.ts';
import { createScratchDatabase, queryAs, type ScratchDatabase } from '../support/scratch-db.ts';
import { requireStackValue } from '../support/stack-env.ts';

const COUNTS = `select (select count(*)::int from public.organizations) as orgs,
                       (select count(*)::int from public.organization_business_hours) as hours,
                       (select count(*)::int from public.leads) as leads,
                       (select count(*)::int from public.appointments) as appointments`;

async function validate(db: ScratchDatabase): Promise<{ code: number; report: ValidationReport; stderr: string }> {
  const result = await runScript('validate', ['--db-url', db.url, '--json']);
  return { code: result.code, report: JSON.parse(result.stdout) as ValidationReport, stderr: result.stderr };
}

describe('npm run validate', () => {
  const scratch: ScratchDatabase[] = [];
  async function scratchDb(label: string, migrate: boolean): Promise<ScratchDatabase> {
    const db = await createScratchDatabase(label, { migrate });
    scratch.push(db);
    return db;
  }
  afterAll(async () => {
    await Promise.all(scratch.map((db) => db.drop()));
  });

  it('passes all four criteria on a migrated database and leaves nothing behind', async () => {
    const db = await scratchDb('validate healthy', true);
    const before = (await queryAs(db.url, COUNTS)).rows[0];

    const text = await runScript('validate', ['--db-url', db.url]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1, 5).map((l) => l.slice(0, 6))).toEqual(['PASS  ', 'PASS  ', 'PASS  ', 'PASS  ']);
    expect(lines[1]).toContain(`→ leads: 'John O''Brien' / 'john@ex.com' / '+15554443333', status 'pending'`);
    expect(lines[3]).toContain('SLOT_UNAVAILABLE');
    expect(lines[5]).toBe('4/4 passed');

    const { code, report } = await validate(db);
    expect(code).toBe(0);
    expect(report).toMatchObject({ ok: true, passed: 4, total: 4, rolledBack: true, leftBehind: 0 });
    expect(report.criteria.map((c) => [c.key, c.ok])).toEqual([
      ['normalization', true], ['date_correction', true], ['atomic_conflict', true], ['multi_tenant', true],
    ]);
    expect(report.criteria[1]?.evidence).toMatch(/stale year '\d{4}-\d{2}-\d{2} 10:00' → \d{4}-\d{2}-\d{2} 10:00 \((stale_year|past_date)\), booking success/);

    expect((await queryAs(db.url, COUNTS)).rows[0]).toEqual(before);
  });

  it('fails exactly the criterion a regression breaks (new leads not pending) with exit 1', async () => {
    const db = await scratchDb('validate regression', true);
    await db.superuser(`alter table public.leads alter column status set default 'contacted'`);
    const { code, report } = await validate(db);
    expect(report.criteria.filter((c) => !c.ok).map((c) => c.key)).toEqual(['normalization']);
    expect(report.criteria[0]?.evidence).toContain(`status 'contacted' — expected`);
    expect(report).toMatchObject({ ok: false, passed: 3, total: 4 });
    expect(code).toBe(1);
  });

  it('fails the conflict criterion when the exclusion constraint is gone', async () => {
    const db = await scratchDb('validate no constraint', true);
    await db.superuser(`alter table public.appointments drop constraint appointments_no_overlap`);
    const { code, report } = await validate(db);
    expect(report.criteria.filter((c) => !c.ok).map((c) => c.key)).toEqual(['atomic_conflict']);
    expect(report.criteria[2]?.evidence).toContain('direct overlapping insert was ACCEPTED');
    expect(code).toBe(1);
  });

  it('reports every criterion failed, without crashing, on a database without the schema', async () => {
    const db = await scratchDb('validate empty', false);
    const { code, report } = await validate(db);
    expect(report).toMatchObject({ ok: false, passed: 0, total: 4 });
    expect(report.criteria.every((c) => c.evidence.startsWith('setup failed: relation "public.organizations" does not exist'))).toBe(true);
    expect(code).toBe(1);
  });

  it('exits 2 with one line and no password when it cannot connect', async () => {
    const url = new URL(requireStackValue('DATABASE_URL'));
    url.password = 'definitely-wrong-S3CRET';
    const wrongPassword = await runScript('validate', ['--db-url', url.toString()]);
    expect(wrongPassword.code).toBe(2);
    expect(wrongPassword.stdout).toBe('');
    expect(wrongPassword.stderr).toMatch(/^validate: cannot connect to postgres@127\.0\.0\.1:\d+\/postgres: password authentication failed for user "postgres"\n$/);
    expect(wrongPassword.stderr).not.toContain('S3CRET');

    url.pathname = '/no_such_database';
    url.password = decodeURIComponent(new URL(requireStackValue('DATABASE_URL')).password);
    const noDatabase = await runScript('validate', ['--db-url', url.toString(), '--json']);
    expect(noDatabase.code).toBe(2);
    expect(noDatabase.stderr).toBe('validate: cannot connect to postgres@127.0.0.1:' + url.port + '/no_such_database: database "no_such_database" does not exist\n');
    expect(noDatabase.stderr).not.toContain(url.password);
  });
});
