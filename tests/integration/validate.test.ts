// The release validation against a healthy database (6/6, nothing left behind), against one
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

  it('passes all six criteria on a migrated database and leaves nothing behind', async () => {
    const db = await scratchDb('validate healthy', true);
    const before = (await queryAs(db.url, COUNTS)).rows[0];

    const text = await runScript('validate', ['--db-url', db.url]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines.slice(1, 7).map((l) => l.slice(0, 6))).toEqual(['PASS  ', 'PASS  ', 'PASS  ', 'PASS  ', 'PASS  ', 'PASS  ']);
    expect(lines[1]).toContain(`→ leads: 'John O''Brien' / 'john@ex.com' / '+15554443333', status 'pending'`);
    expect(lines[3]).toContain('SLOT_UNAVAILABLE');
    expect(lines[5]).toContain('practitioner 1 success, practitioner 2 success (2 active rows on 2 practitioners)');
    expect(lines[6]).toContain('2nd move of the same appointment → APPOINTMENT_INACTIVE; 1 active in the chain');
    expect(lines[7]).toBe('6/6 passed');

    const { code, report } = await validate(db);
    expect(code).toBe(0);
    expect(report).toMatchObject({ ok: true, passed: 6, total: 6, rolledBack: true, leftBehind: 0 });
    expect(report.criteria.map((c) => [c.key, c.ok])).toEqual([
      ['normalization', true], ['date_correction', true], ['atomic_conflict', true], ['multi_tenant', true],
      ['practitioner_overlap', true], ['reschedule_once', true],
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
    expect(report).toMatchObject({ ok: false, passed: 5, total: 6 });
    expect(code).toBe(1);
  });

  it('fails the conflict criterion when the exclusion constraint is gone', async () => {
    const db = await scratchDb('validate no constraint', true);
    await db.superuser(`alter table public.appointments drop constraint appointments_no_overlap`);
    const { code, report } = await validate(db);
    // Both overlap criteria lean on the constraint as the backstop of a bypassing writer.
    expect(report.criteria.filter((c) => !c.ok).map((c) => c.key)).toEqual(['atomic_conflict', 'practitioner_overlap']);
    expect(report.criteria[2]?.evidence).toContain('direct overlapping insert was ACCEPTED');
    expect(report.criteria[4]?.evidence).toContain('direct overlapping insert on practitioner 1 → ACCEPTED');
    expect(code).toBe(1);
  });

  it('fails only the practitioner criterion when the overlap rule is per clinic again', async () => {
    const db = await scratchDb('validate clinic-wide overlap', true);
    await db.superuser(`alter table public.appointments drop constraint appointments_no_overlap;
      alter table public.appointments add constraint appointments_no_overlap
        exclude using gist (org_id with =, tstzrange(blocked_from, blocked_until, '[)') with &&) where (is_active)`);
    const { code, report } = await validate(db);
    expect(report.criteria.filter((c) => !c.ok).map((c) => c.key)).toEqual(['practitioner_overlap']);
    expect(report.criteria[4]?.evidence).toMatch(/practitioner 1 success, practitioner 2 (SLOT_UNAVAILABLE|TRY_AGAIN)/);
    expect(code).toBe(1);
  });

  it('fails only the reschedule criterion when a moved appointment can get a second successor', async () => {
    const db = await scratchDb('validate chain unguarded', true);
    await db.superuser('drop index public.appointments_rescheduled_from_key');
    const { code, report } = await validate(db);
    expect(report.criteria.filter((c) => !c.ok).map((c) => c.key)).toEqual(['reschedule_once']);
    expect(report.criteria[5]?.evidence).toContain('direct 2nd successor → ACCEPTED');
    expect(code).toBe(1);
  });

  it('reports every criterion failed, without crashing, on a database without the schema', async () => {
    const db = await scratchDb('validate empty', false);
    const { code, report } = await validate(db);
    expect(report).toMatchObject({ ok: false, passed: 0, total: 6 });
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
