// The post-deploy audit against databases broken one way each: it must name exactly the check
// that broke, exit 1, and pass a healthy database with exit 0.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { AuditKey, AuditReport } from '../../scripts/ops/audit-checks.ts';
import { listMigrationFiles } from '../../scripts/ops/migration-files.ts';
import { book } from '../../scripts/lib/fixtures/booking-call.ts';
import { createClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { localSlot } from '../../scripts/lib/fixtures/local-time.ts';
import { runScript } from '../support/run-script.ts';
import { createScratchDatabase, queryAs, type ScratchDatabase } from '../support/scratch-db.ts';
import { requireStackValue } from '../support/stack-env.ts';


interface Seeded {
  orgId: string;
  leadId: string;
  slot: Date;
}

/** Real traffic first, so every check looks at rows and not at empty tables. */
async function seed(db: ScratchDatabase): Promise<Seeded> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { orgId, timeZone } = await createClinic(client, { name: 'Audit Clinic' });
    const slot = await localSlot(client, timeZone, 4, '10:00');
    const request = { email: 'ann@example.com', serviceType: 'checkup', durationMinutes: 30 };
    const first = await book(client, orgId, { ...request, name: 'ann lee', phone: '+15550100001', scheduledAt: slot });
    if (!first.success) throw new Error(`seed booking failed: ${first.error}`);
    // A cancelled booking frees its slot: rebooking it is not an overlap.
    await client.query(`update public.appointments set status = 'cancelled' where id = $1`, [first.appointment_id]);
    const again = await book(client, orgId, { ...request, name: 'bo chen', phone: '+15550100002', scheduledAt: slot });
    const later = await book(client, orgId, { ...request, name: 'cy diaz', phone: '(555) 010-0003', scheduledAt: new Date(slot.getTime() + 3_600_000) });
    if (!again.success || !later.success) throw new Error('seed bookings failed');
    return { orgId, leadId: first.contact_id, slot };
  } finally {
    await client.end();
  }
}

interface AuditRun {
  code: number;
  report: AuditReport;
  stderr: string;
}

async function audit(db: ScratchDatabase): Promise<AuditRun> {
  const result = await runScript('audit', ['--db-url', db.url, '--json']);
  return { code: result.code, report: JSON.parse(result.stdout) as AuditReport, stderr: result.stderr };
}

const failing = (report: AuditReport): AuditKey[] => report.checks.filter((c) => !c.ok).map((c) => c.key);
const check = (report: AuditReport, key: AuditKey) => report.checks.find((c) => c.key === key);

describe('npm run audit', () => {
  const scratch: ScratchDatabase[] = [];
  async function seededDatabase(label: string): Promise<{ db: ScratchDatabase; seeded: Seeded }> {
    const db = await createScratchDatabase(label, { migrate: true });
    scratch.push(db);
    return { db, seeded: await seed(db) };
  }
  afterAll(async () => {
    await Promise.all(scratch.map((db) => db.drop()));
  });

  it('passes a healthy database: 9/9, exit 0, and prints a table', async () => {
    const { db } = await seededDatabase('audit healthy');
    const { code, report, stderr } = await audit(db);
    expect(stderr).toBe('');
    expect(failing(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ ok: true, passed: 9, total: 9 });
    expect(check(report, 'single_booking_function')?.count).toBe(1);
    expect(check(report, 'leads_normalized')?.detail).toBe('0 of 3 lead(s) break the normalization rules');

    const text = await runScript('audit', ['--db-url', db.url]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^check\s+result\s+count\s+detail$/m);
    expect(text.stdout).toMatch(/^no overlapping appointments\s+pass\s+0\s/m);
    expect(text.stdout.trim().split('\n').at(-1)).toBe('9/9 checks passed');
  });

  it('finds an overlap seeded while the exclusion constraint was dropped', async () => {
    const { db, seeded } = await seededDatabase('audit overlap');
    await db.superuser(`alter table public.appointments drop constraint appointments_no_overlap`);
    await db.superuser(
      `insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
       values ($1, $2, 'checkup', $3::timestamptz + interval '10 minutes', $3::timestamptz + interval '40 minutes', 30)`,
      [seeded.orgId, seeded.leadId, seeded.slot],
    );
    const { code, report } = await audit(db);
    expect(failing(report)).toEqual(['no_overlapping_appointments', 'exclusion_constraint']);
    expect(check(report, 'no_overlapping_appointments')).toMatchObject({ count: 1, detail: '1 overlapping pair(s) of active appointments in 1 organization(s)' });
    expect(check(report, 'exclusion_constraint')?.detail).toBe('appointments_no_overlap is missing');
    expect(code).toBe(1);
  });

  it('finds a dropped exclusion constraint even before anything overlaps', async () => {
    const { db } = await seededDatabase('audit no constraint');
    await db.superuser(`alter table public.appointments drop constraint appointments_no_overlap`);
    const { code, report } = await audit(db);
    expect(failing(report)).toEqual(['exclusion_constraint']);
    expect(code).toBe(1);
  });

  it('finds badly normalized leads written past dropped check constraints', async () => {
    const { db, seeded } = await seededDatabase('audit leads');
    await db.superuser(`alter table public.leads drop constraint leads_name_check, drop constraint leads_email_check,
                        drop constraint leads_phone_e164_check, drop constraint leads_status_check,
                        drop constraint leads_name_visible_check, drop constraint leads_email_format_check,
                        drop constraint leads_phone_nanp_check`);
    await db.superuser(
      `insert into public.leads (org_id, name, email, phone, status) values
         ($1, 'jOHN o''brien', null, '+15550100010', 'pending'),
         ($1, 'Mary Major', 'Mary@EX.com', '555-010-0011', 'pending'),
         ($1, 'Tom Tall ', null, '+15550100012', 'imported'),
         ($1, E'Eve\\u202eLyn', '<script>@x.y', '+10551234567', 'pending')`,
      [seeded.orgId],
    );
    const { code, report } = await audit(db);
    expect(failing(report)).toEqual(['leads_normalized']);
    expect(check(report, 'leads_normalized')).toMatchObject({
      count: 4,
      detail: '4 of 7 lead(s) break the normalization rules (name 3, email 2, phone 2, status 1)',
    });
    expect(code).toBe(1);
  });

  it('finds a leftover _v2 booking function (which the API roles can also execute)', async () => {
    const { db } = await seededDatabase('audit v2');
    // As an earlier deployment created it: as postgres, so Supabase's default privileges apply.
    await queryAs(db.url, `create function public.book_appointment_atomic_v2(p_org_id uuid, p_name text) returns json
                           language sql set search_path = '' as $$ select '{}'::json $$`);
    const { code, report } = await audit(db);
    expect(failing(report)).toEqual(['single_booking_function', 'booking_function_grants']);
    expect(check(report, 'single_booking_function')).toMatchObject({ count: 2 });
    expect(check(report, 'single_booking_function')?.detail).toContain('unexpected: public.book_appointment_atomic_v2(uuid, text) returns json');
    expect(check(report, 'booking_function_grants')?.detail).toContain('anon can execute book_appointment_atomic_v2(uuid, text)');
    expect(code).toBe(1);
  });

  it('finds the booking function granted to anon', async () => {
    const { db } = await seededDatabase('audit grant');
    await queryAs(db.url, 'grant execute on function public.book_appointment_atomic to anon');
    const { code, report } = await audit(db);
    expect(failing(report)).toEqual(['booking_function_grants']);
    expect(check(report, 'booking_function_grants')).toMatchObject({ count: 1 });
    expect(code).toBe(1);
  });

  it('finds RLS switched off on leads', async () => {
    const { db } = await seededDatabase('audit rls');
    await queryAs(db.url, 'alter table public.leads disable row level security');
    const { code, report } = await audit(db);
    expect(failing(report)).toEqual(['rls_enabled']);
    expect(check(report, 'rls_enabled')).toMatchObject({ count: 1, detail: 'leads: RLS off' });
    expect(code).toBe(1);
  });

  it('names a migration that is not recorded as applied', async () => {
    const { db } = await seededDatabase('audit migration');
    const victim = listMigrationFiles().at(4)?.version ?? '';
    await queryAs(db.url, 'delete from supabase_migrations.schema_migrations where version = $1', [victim]);
    const { code, report } = await audit(db);
    expect(failing(report)).toEqual(['migrations_applied']);
    expect(check(report, 'migrations_applied')).toMatchObject({ count: 1, detail: `missing: ${victim}` });
    expect(code).toBe(1);
  });

  it('exits 2 with one line and no password when it cannot connect', async () => {
    const url = new URL(requireStackValue('DATABASE_URL'));
    url.password = 'definitely-wrong-S3CRET';
    const result = await runScript('audit', ['--db-url', url.toString()]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^audit: cannot connect to postgres@127\.0\.0\.1:\d+\/\S+: password authentication failed for user "postgres"\n$/);
    expect(result.stderr).not.toContain('S3CRET');
  });
});
