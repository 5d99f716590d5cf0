// The same two workloads through pgbench (C client, prepared statements) on the same stack:
// tells the database's own ceiling apart from node-postgres's overhead.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { findPgBinDir } from '../lib/postgres-cluster.ts';
import { run } from '../lib/run.ts';
import type { LoadOrg } from './fixtures.ts';

export interface PgbenchFigures {
  ours: { perSecond: number; latencyMs: number; failed: number } | null;
  floor: { perSecond: number; latencyMs: number; failed: number } | null;
  note: string;
}

// Slots far past everything else the bench books, k drawn from 10^9 half hours: a repeat is
// unlikely (and would show up as a failed transaction). Ours books :00/:30, the floor :15/:45.
const SETUP = `
create schema bench_pgbench;
create table bench_pgbench.orgs (n integer primary key, org_id uuid not null, lead_id uuid not null);
`;

function script(kind: 'ours' | 'floor', base: Date, orgs: number): string {
  const at = `'${base.toISOString()}'::timestamptz + :k * interval '30 minutes'`;
  const head = `\\set n random(1, ${orgs})\n\\set k random(1, 1000000000)\n`;
  return kind === 'ours'
    ? `${head}select public.book_appointment_atomic(o.org_id, 'Bench Caller', null, '+1555' || lpad((:k % 10000000)::text, 7, '0'), 'checkup', ${at}, 15, null) from bench_pgbench.orgs o where o.n = :n;\n`
    : `${head}insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes) select o.org_id, o.lead_id, 'checkup', ${at} + interval '15 minutes', ${at} + interval '30 minutes', 15 from bench_pgbench.orgs o where o.n = :n;\n`;
}

function parse(stdout: string): { perSecond: number; latencyMs: number; failed: number } | null {
  const tps = /tps = ([0-9.]+) \(without initial connection time\)/.exec(stdout);
  const latency = /latency average = ([0-9.]+) ms/.exec(stdout);
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  if (!tps || !latency) return null;
  return { perSecond: Number(tps[1]), latencyMs: Number(latency[1]), failed: Number(failed?.[1] ?? 0) };
}

export async function pgbenchBoth(admin: pg.Client, databaseUrl: string, orgs: readonly LoadOrg[], leads: ReadonlyMap<string, string>, clients: number, seconds: number): Promise<PgbenchFigures> {
  let bin: string;
  try {
    bin = path.join(findPgBinDir(), 'pgbench');
  } catch {
    return { ours: null, floor: null, note: 'pgbench not found' };
  }
  await admin.query(SETUP);
  await admin.query(
    'insert into bench_pgbench.orgs (n, org_id, lead_id) select ord, o, l from unnest($1::uuid[], $2::uuid[]) with ordinality as t(o, l, ord)',
    [orgs.map((o) => o.id), orgs.map((o) => leads.get(o.id) ?? null)],
  );
  // The password goes through the environment, not the process list.
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pgbench-'));
  const base = new Date(Date.UTC(new Date().getUTCFullYear() + 20, 0, 1));
  const out: PgbenchFigures = { ours: null, floor: null, note: `pgbench -n -M prepared -c ${clients} -j 2 -T ${seconds}` };
  try {
    for (const kind of ['floor', 'ours'] as const) {
      const file = path.join(dir, `${kind}.sql`);
      writeFileSync(file, script(kind, base, orgs.length));
      const result = await run(bin, ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', file, url.toString()], {
        env: { ...process.env, PGPASSWORD: password },
        allowFailure: true,
      });
      out[kind] = parse(result.stdout);
      if (!out[kind]) out.note += `; ${kind}: ${(result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? 'no output'}`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
