// The release checklist's backup (npm run backup) against the stack's PostgreSQL major (17 and
// 15 in npm test): what it writes restores, with psql, into a freshly migrated database to the
// very same rows; a database at other migration versions refuses the restore.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { psql } from '../../scripts/lib/stack.ts';
import { SUPABASE_DIR } from '../../scripts/lib/project.ts';
import { runScript } from '../support/run-script.ts';
import { createScratchDatabase, queryAs, withClient, type ScratchDatabase } from '../support/scratch-db.ts';
import { book } from '../../scripts/lib/fixtures/booking-call.ts';
import { localSlot } from '../../scripts/lib/fixtures/local-time.ts';

const TABLES = ['public.organizations', 'public.organization_business_hours', 'public.vapi_routes', 'public.leads', 'public.appointments'];

async function contents(url: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows: [row] } = await queryAs<{ n: number; digest: string | null }>(url,
      `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as digest from ${table} t`);
    result[table] = `${row?.n} ${row?.digest}`;
  }
  return result;
}

describe('npm run backup', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-booking-backup-'));
  const scratch: ScratchDatabase[] = [];
  afterAll(async () => {
    await Promise.all(scratch.map((db) => db.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a backup that psql restores into a freshly migrated database, row for row', async () => {
    const source = await createScratchDatabase('backup source', { migrate: true });
    scratch.push(source);
    await psql(source.url, ['-f', path.join(SUPABASE_DIR, 'seed.sql')]);
    // The seed's Sunrise clinic (New York, open 06:00–20:00 every day).
    const booked = await withClient(source.superuserUrl, async (c) => book(c, 'a0000000-0000-0000-0000-000000000001', {
      name: "O'Brien, Zoë", email: 'zoe@example.com', phone: '+15554443333', serviceType: 'consultation',
      scheduledAt: await localSlot(c, 'America/New_York', 3, '10:00'), durationMinutes: 30,
    }));
    expect(booked.success).toBe(true);
    const before = await contents(source.url);
    expect(before['public.appointments']).toMatch(/^1 /);

    const file = path.join(dir, 'backup.sql');
    const result = await runScript('backup', ['--db-url', source.url, '--file', file]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(statSync(file).mode & 0o077).toBe(0); // personal data: owner only
    expect(readFileSync(file, 'utf8')).not.toContain(new URL(source.url).password);

    const target = await createScratchDatabase('backup target', { migrate: true });
    scratch.push(target);
    await psql(target.url, ['-f', file]);
    expect(await contents(target.url)).toEqual(before);

    // Another schema version (one migration missing from the record) refuses, loading nothing.
    const other = await createScratchDatabase('backup other version', { migrate: true });
    scratch.push(other);
    await other.superuser(`delete from supabase_migrations.schema_migrations
      where version = (select max(version) from supabase_migrations.schema_migrations)`);
    await expect(psql(other.url, ['-f', file])).rejects.toThrow(/restore into a database migrated to exactly these versions/);
    const { rows: [left] } = await queryAs<{ n: number }>(other.url, 'select count(*)::int as n from public.organizations');
    expect(left?.n).toBe(0);
  });

  it('writes nothing and exits 2 when the database cannot be reached', async () => {
    const file = path.join(dir, 'unreachable.sql');
    const result = await runScript('backup', ['--db-url', 'postgresql://postgres:secret-pw@127.0.0.1:1/postgres', '--file', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('secret-pw');
    expect(() => statSync(file)).toThrow();
  });
});
