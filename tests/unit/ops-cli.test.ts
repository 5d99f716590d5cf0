// The operator commands' surfaces: --help exits 0 with usage for every one; what a reverse
// script would drop; which database counts as this checkout's local stack; the declared major.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';
import { run } from '../../scripts/lib/run.ts';
import { dropsOf, describeDrop } from '../../scripts/ops/rollback-drops.ts';
import { isLocalStack, localStackPorts } from '../../scripts/ops/rollback-target.ts';
import { declaredPgMajor, selectedPgMajor } from '../../scripts/lib/pg-install.ts';
import { listMigrationFiles, rollbackFileOf } from '../../scripts/ops/migration-files.ts';

const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

describe('--help', () => {
  it.each(['validate', 'audit', 'rollback', 'bench', 'backup'])('%s --help prints usage on stdout and exits 0 (also after other options)', async (script) => {
    for (const args of [['--help'], ['--db-url', 'postgresql://x@y/z', '-h']]) {
      const result = await run(tsx, [path.join('scripts', `${script}.ts`), ...args], { cwd: PROJECT_ROOT, allowFailure: true, env: { ...process.env, SUPABASE_DB_URL: '' } });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^usage: npm run (-s )?${script}`));
    }
  }, 30_000);

  it('a wrong option is still a usage error (exit 2, usage on stderr)', async () => {
    const result = await run(tsx, [path.join('scripts', 'audit.ts'), '--jsn'], { cwd: PROJECT_ROOT, allowFailure: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('audit: unknown option --jsn\nusage: npm run -s audit -- [--db-url URL] [--json]\n');
  });
});

describe('what a reverse script drops', () => {
  it('reads tables, columns, functions and policies, ignoring comments', () => {
    const sql = `-- drop table public.not_this;
      drop table public.leads;
      drop table if exists public.a, public.b cascade;
      alter table public.appointments drop column if exists attendee_name;
      alter table public.appointments drop column attendee_email, drop constraint x, drop column note;
      drop function private.is_member(uuid);
      drop policy leads_select on public.leads;
      /* drop table public.nor_this; */ select 1;`;
    expect(dropsOf(sql).map((d) => describeDrop(d))).toEqual([
      'drop table public.leads', 'drop table public.a', 'drop table public.b',
      'drop column public.appointments.attendee_name',
      'drop column public.appointments.attendee_email', 'drop column public.appointments.note', 'drop function private.is_member(uuid)', 'drop policy leads_select on public.leads',
    ]);
    expect(describeDrop({ kind: 'table', name: 'public.leads', table: 'public.leads', rows: 1 })).toBe('drop table public.leads (1 row lost)');
    expect(describeDrop({ kind: 'column', name: 'public.x.y', table: 'public.x', column: 'y', rows: 4 })).toBe('drop column public.x.y (4 values lost)');
  });

  it('reads every reverse script of the repository without an unreadable drop', () => {
    for (const migration of listMigrationFiles()) {
      for (const drop of dropsOf(readFileSync(rollbackFileOf(migration), 'utf8'))) {
        expect(drop.name, migration.basename).toMatch(/^[a-z_][a-z0-9_.]*(\([^)]*\))?( on [a-z_.]+)?$/);
      }
    }
  });

  it('finds the tables of every reverse script that drops one', () => {
    const leads = listMigrationFiles().find((m) => m.name === 'leads');
    if (!leads) throw new Error('no leads migration');
    expect(dropsOf(readFileSync(rollbackFileOf(leads), 'utf8')).map((d) => d.name)).toContain('public.leads');
  });
});

describe('the local stack, for rollback without --yes', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-booking-local-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // postmaster.pid: pid, data dir, start time, port. This test process stands in for a live postmaster.
  const postmaster = (pid: number, port: number): string => `${pid}\n/data\n1700000000\n${port}\n127.0.0.1\n`;
  writeFileSync(path.join(dir, 'stack.env'), 'PGPORT=54011\n');
  mkdirSync(path.join(dir, 'pg', 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'pg', 'data', 'postmaster.pid'), postmaster(process.pid, 54011));
  mkdirSync(path.join(dir, 'test', 'pg', 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'test', 'stack.env'), 'PGPORT=54012\n');
  writeFileSync(path.join(dir, 'test', 'pg', 'data', 'postmaster.pid'), postmaster(process.pid, 54012));
  // Stale records after an unclean end: a dead postmaster, and one no longer on the recorded port.
  mkdirSync(path.join(dir, 'crashed', 'pg', 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'crashed', 'stack.env'), 'PGPORT=54013\n');
  writeFileSync(path.join(dir, 'crashed', 'pg', 'data', 'postmaster.pid'), postmaster(2 ** 22 + 7, 54013));
  mkdirSync(path.join(dir, 'moved', 'pg', 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'moved', 'stack.env'), 'PGPORT=54014\n');
  writeFileSync(path.join(dir, 'moved', 'pg', 'data', 'postmaster.pid'), postmaster(process.pid, 54099));
  mkdirSync(path.join(dir, 'stopped'));
  writeFileSync(path.join(dir, 'stopped', 'stack.env'), 'PGPORT=54015\n');

  it('is a loopback host on the port of a stack running under .local/ right now', () => {
    const ports = localStackPorts(dir);
    expect([...ports].sort()).toEqual(['54011', '54012']);
    expect(isLocalStack('postgresql://postgres:x@127.0.0.1:54011/postgres', ports)).toBe(true);
    expect(isLocalStack('postgresql://postgres:x@localhost:54012/scratch', ports)).toBe(true);
    // A loopback port that is no stack of ours may be a tunnel to production.
    expect(isLocalStack('postgresql://postgres:x@127.0.0.1:5432/postgres', ports)).toBe(false);
    expect(isLocalStack('postgresql://postgres.ref:x@aws-0-eu-west-1.pooler.supabase.com:54011/postgres', ports)).toBe(false);
    expect(isLocalStack('not a url', ports)).toBe(false);
  });
});

describe('PostgreSQL major', () => {
  it('defaults to what supabase/config.toml declares, and PG_MAJOR overrides it', () => {
    expect(declaredPgMajor()).toBe('17');
    expect(selectedPgMajor({})).toBe('17');
    expect(selectedPgMajor({ PG_MAJOR: '15' })).toBe('15');
    expect(() => selectedPgMajor({ PG_MAJOR: '16' })).toThrow('PG_MAJOR=16 is not supported');
  });
});
