// Rollback is tested the only way that proves it: the schema after "roll back, re-apply" is
// byte-for-byte the schema before it, and after each single reverse script the schema is exactly
// the one the migrations before it build.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushMigrations } from '../../scripts/lib/stack.ts';
import { compareVersions, hasRollbackFile, listMigrationFiles, rollbackFileOf, ROLLBACKS_DIR } from '../../scripts/ops/migration-files.ts';
import { planRollback } from '../../scripts/ops/rollback-plan.ts';
import { appliedVersions, applyRollback } from '../../scripts/ops/rollback-apply.ts';
import { connectDatabase } from '../../scripts/ops/connect.ts';
import { pushMigrationsThrough } from '../support/migrations-prefix.ts';
import { runScript } from '../support/run-script.ts';
import { catalogDescription, schemaDump } from '../support/schema-dump.ts';
import { createScratchDatabase, queryAs, withClient, type ScratchDatabase } from '../support/scratch-db.ts';
import { createClinic } from '../../scripts/lib/fixtures/clinics.ts';

const MIGRATIONS = listMigrationFiles();
const VERSIONS = MIGRATIONS.map((m) => m.version);
const MIDDLE = VERSIONS[Math.floor(VERSIONS.length / 2)] ?? '';

async function recordedVersions(db: ScratchDatabase): Promise<string[]> {
  const { rows } = await queryAs<{ version: string }>(db.url, 'select version from supabase_migrations.schema_migrations order by version');
  return rows.map((r) => r.version);
}

async function rollbackTo(db: ScratchDatabase, to: string, rollbacksDir?: string): Promise<Awaited<ReturnType<typeof applyRollback>>> {
  const client = await connectDatabase(db.url, 'rollback test');
  try {
    return await applyRollback(client, planRollback(await appliedVersions(client), to, { rollbacksDir }));
  } finally {
    await client.end();
  }
}

describe('rollback scripts', () => {
  const scratch: ScratchDatabase[] = [];
  const scratchDb = async (label: string, migrate: boolean): Promise<ScratchDatabase> => {
    const db = await createScratchDatabase(label, { migrate });
    scratch.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(scratch.map((db) => db.drop()));
  });

  it('has a reverse script for every migration, and none without one', () => {
    expect(MIGRATIONS.filter((m) => !hasRollbackFile(m)).map((m) => m.basename)).toEqual([]);
    const expected = MIGRATIONS.map((m) => `${m.basename}.down.sql`).sort();
    expect(readdirSync(ROLLBACKS_DIR).sort()).toEqual(expected);
  });

  it('rolls everything back to 0 and a re-apply gives the identical schema', async () => {
    const db = await scratchDb('rollback all', true);
    const before = await schemaDump(db.superuserUrl);

    const result = await runScript('rollback', ['--db-url', db.url, '--to', '0']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`done: ${VERSIONS.length}/${VERSIONS.length} reverted`);

    expect(await recordedVersions(db)).toEqual([]);
    const { rows: [left] } = await queryAs<{ tables: number; functions: number; private: boolean; btree_gist: boolean; extensions: boolean }>(db.url, `
      select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')) as tables,
             (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
              where n.nspname = 'public') as functions,
             exists (select 1 from pg_namespace where nspname = 'private') as private,
             exists (select 1 from pg_extension where extname = 'btree_gist') as btree_gist,
             exists (select 1 from pg_namespace where nspname = 'extensions') as extensions`);
    // Ours gone; the bootstrap's (Supabase's) schema `extensions` and the shared btree_gist kept.
    expect(left).toEqual({ tables: 0, functions: 0, private: false, btree_gist: true, extensions: true });

    await pushMigrations(db.url);
    expect(await recordedVersions(db)).toEqual(VERSIONS);
    expect(await schemaDump(db.superuserUrl)).toBe(before);
  });

  it('a partial rollback keeps exactly the older migrations, and a re-apply restores the schema', async () => {
    const db = await scratchDb('rollback partial', true);
    const before = await schemaDump(db.superuserUrl);

    const result = await runScript('rollback', ['--db-url', db.url, '--to', MIDDLE]);
    expect(result.code).toBe(0);
    const newer = VERSIONS.filter((v) => compareVersions(v, MIDDLE) > 0);
    expect(result.stdout.match(/reverted \d+/g)).toEqual([...newer].reverse().map((v) => `reverted ${v}`));
    expect(await recordedVersions(db)).toEqual(VERSIONS.filter((v) => compareVersions(v, MIDDLE) <= 0));

    await pushMigrations(db.url);
    expect(await schemaDump(db.superuserUrl)).toBe(before);
  });

  it('after each reverse script the schema equals the one built by the migrations before it', async () => {
    // Reference: the same migrations pushed one prefix at a time into a second database.
    const reference = await scratchDb('rollback reference', false);
    const expected = new Map<string, string>();
    for (const version of VERSIONS) {
      await pushMigrationsThrough(reference.url, version);
      expected.set(version, await schemaDump(reference.superuserUrl));
    }
    const db = await scratchDb('rollback stepwise', true);
    expect(await schemaDump(db.superuserUrl)).toBe(expected.get(VERSIONS.at(-1) ?? ''));
    for (const version of [...VERSIONS].reverse().slice(1)) {
      const outcomes = await rollbackTo(db, version);
      expect(outcomes.map((o) => o.ok)).toEqual([true]);
      // One reverse script at a time, so a mismatch names the script that got it wrong.
      expect({ version, dump: await schemaDump(db.superuserUrl) }).toEqual({ version, dump: expected.get(version) });
    }
  }, 180_000);

  it('the catalog description (used where pg_dump is older than the server) sees every kind of schema change', async () => {
    const db = await scratchDb('catalog description', true);
    const base = await catalogDescription(db.superuserUrl);
    expect(base).toBe(await catalogDescription(db.superuserUrl));
    const changes = [
      ['grant execute on function public.book_appointment_atomic to anon',
        'revoke execute on function public.book_appointment_atomic from anon'],
      ['alter table public.leads disable row level security', 'alter table public.leads enable row level security'],
      ['create index scratch_probe on public.leads (created_at)', 'drop index public.scratch_probe'],
      ['alter table public.leads alter column email set default \'x\'', 'alter table public.leads alter column email drop default'],
      [`create or replace function private.scratch_probe() returns int language sql as 'select 1'`, 'drop function private.scratch_probe()'],
      ['alter default privileges for role postgres in schema public revoke all on tables from anon',
        'alter default privileges for role postgres in schema public grant all on tables to anon'],
    ] as const;
    for (const [change, undo] of changes) {
      await db.superuser(change);
      expect({ change, same: (await catalogDescription(db.superuserUrl)) === base }).toEqual({ change, same: false });
      await db.superuser(undo);
    }
    expect(await catalogDescription(db.superuserUrl)).toBe(base);
  });

  describe('refusals and failures', () => {
    let db: ScratchDatabase;
    let rollbacksCopy: string;
    beforeAll(async () => {
      db = await scratchDb('rollback refusals', true);
      rollbacksCopy = mkdtempSync(path.join(os.tmpdir(), 'clinic-booking-rollbacks-'));
      cpSync(ROLLBACKS_DIR, rollbacksCopy, { recursive: true });
    });
    afterAll(() => {
      rmSync(rollbacksCopy, { recursive: true, force: true });
    });

    it('refuses, changing nothing, when a reverse script is missing', async () => {
      const victim = MIGRATIONS.at(-3);
      if (!victim) throw new Error('need migrations');
      rmSync(rollbackFileOf(victim, rollbacksCopy));
      await expect(rollbackTo(db, '0', rollbacksCopy)).rejects.toThrow(`missing ${victim.basename}.down.sql`);
      expect(await recordedVersions(db)).toEqual(VERSIONS);
      cpSync(rollbackFileOf(victim), rollbackFileOf(victim, rollbacksCopy));
    });

    it('a failing reverse script rolls back alone; the newer ones stay reverted', async () => {
      const [newest, second] = [...MIGRATIONS].reverse();
      if (!newest || !second) throw new Error('need migrations');
      writeFileSync(rollbackFileOf(second, rollbacksCopy), 'drop table public.appointments cascade;\nselect 1 / 0;\n');
      const outcomes = await rollbackTo(db, '0', rollbacksCopy);
      expect(outcomes.map((o) => [o.step.version, o.ok])).toEqual([[newest.version, true], [second.version, false]]);
      expect(outcomes[1]?.error).toMatch(/division by zero/);
      expect(await recordedVersions(db)).toEqual(VERSIONS.filter((v) => v !== newest.version));
      const { rows: [t] } = await queryAs<{ present: boolean }>(db.url, `select to_regclass('public.appointments') is not null as present`);
      expect(t?.present).toBe(true); // the failed step's drop was undone with it
      await pushMigrations(db.url);
    });

    it('rejects a --to that is not a migration version, and a missing --to, with exit 2', async () => {
      const typo = await runScript('rollback', ['--db-url', db.url, '--to', '2026112510']);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(/^rollback: --to 2026112510 is not the version of a migration/);
      const none = await runScript('rollback', ['--db-url', db.url]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('--to <version> is required');
      expect(await recordedVersions(db)).toEqual(VERSIONS);
    });

    it('--dry-run lists the plan and changes nothing', async () => {
      const result = await runScript('rollback', ['--db-url', db.url, '--to', MIDDLE, '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`would revert ${VERSIONS.at(-1)}`);
      expect(await recordedVersions(db)).toEqual(VERSIONS);
    });

    it('--dry-run names what each reverse script drops and the rows it would lose', async () => {
      const { orgId } = await withClient(db.superuserUrl, (c) => createClinic(c, { name: 'Dry Run Clinic', timeZone: 'Europe/Paris', country: 'FR' }));
      await db.superuser(`insert into public.leads (org_id, name, phone)
        select $1::uuid, 'Lead ' || i, '+3361234567' || i from generate_series(0, 2) i`, [orgId]);
      const result = await runScript('rollback', ['--db-url', db.url, '--to', '0', '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/would revert \d+ leads\n(?:.*\n)*? {4}drop table public\.leads \(3 rows lost\)/);
      expect(result.stdout).toContain('drop table public.organizations (1 row lost)');
      expect(result.stdout).toContain('drop table public.appointments (0 rows lost)');
      expect(result.stdout).toMatch(/drop function public\.book_appointment_atomic/);
      expect(result.stdout).toMatch(/dry run: nothing changed; \d+ row\(s\) would be lost/);
      const { rows: [leads] } = await queryAs<{ n: number }>(db.url, 'select count(*)::int as n from public.leads');
      expect(leads?.n).toBe(3);
      expect(await recordedVersions(db)).toEqual(VERSIONS);
    });

    it('refuses a database that is not the local stack unless --yes is given', async () => {
      // The same server reached under another address is, to the script, some other database.
      const elsewhere = new URL(db.url);
      elsewhere.hostname = '[::ffff:127.0.0.1]';
      const refused = await runScript('rollback', ['--db-url', elsewhere.toString(), '--to', '0']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^rollback: refusing to roll back postgres@\[::ffff:[0-9a-f:.]+\]:\d+\/\S+: it is not this checkout's local stack/);
      expect(await recordedVersions(db)).toEqual(VERSIONS);

      const remote = await runScript('rollback', ['--db-url', 'postgresql://postgres.ref:pw@db.example.invalid:5432/postgres', '--to', '0']);
      expect(remote.code).toBe(2);
      expect(remote.stderr).toContain('not this checkout\'s local stack');

      const confirmed = await runScript('rollback', ['--db-url', elsewhere.toString(), '--to', MIDDLE, '--yes']);
      expect(confirmed.code).toBe(0);
      expect(await recordedVersions(db)).toEqual(VERSIONS.filter((v) => compareVersions(v, MIDDLE) <= 0));
      await pushMigrations(db.url);
    });
  });
});
