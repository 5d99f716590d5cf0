// Post-deploy health checks: read-only queries, one verdict each. They run in one read-only
// transaction (each in a savepoint, so a missing table fails that check, not the run).
import type pg from 'pg';
import { oneLine } from './connect.ts';
import { listMigrationFiles, compareVersions } from './migration-files.ts';
import { inSavepoint } from './transaction.ts';
import { LEAD_RULES_SQL, OVERLAPPING_ACTIVE_PAIRS_SQL } from './booking-invariants.ts';

export type AuditKey =
  | 'no_overlapping_appointments'
  | 'leads_normalized'
  | 'single_booking_function'
  | 'rls_enabled'
  | 'booking_function_grants'
  | 'migrations_applied'
  | 'exclusion_constraint';

export interface AuditResult {
  key: AuditKey;
  title: string;
  ok: boolean;
  /** What was counted (overlapping pairs, bad leads, booking functions, problems…). */
  count: number;
  detail: string;
}

export interface AuditReport {
  ok: boolean;
  passed: number;
  total: number;
  checks: AuditResult[];
}

type Verdict = Omit<AuditResult, 'key' | 'title'>;

export interface AuditOptions {
  /** Where the migration files are (tests point elsewhere); default supabase/migrations. */
  migrationsDir?: string;
}

const CANONICAL = 'public.book_appointment_atomic(uuid,text,text,text,text,timestamptz,integer,text)';
const LEAD_STATUSES = ['pending', 'contacted', 'qualified', 'converted', 'lost'];
const RLS_TABLES = ['leads', 'appointments'];
const API_ROLES = ['anon', 'authenticated'];
const list = (items: readonly string[], max = 5): string =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;

async function one<T extends pg.QueryResultRow>(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<T> {
  const row = (await client.query<T>(sql, params)).rows[0];
  if (!row) throw new Error('query returned no row');
  return row;
}

// Overlapping pairs of active appointments; the exclusion constraint's gist index serves the
// self-join.
async function noOverlaps(client: pg.ClientBase): Promise<Verdict> {
  const r = await one<{ pairs: number; orgs: number }>(client,
    `select count(*)::int as pairs, count(distinct a.org_id)::int as orgs ${OVERLAPPING_ACTIVE_PAIRS_SQL}`);
  return { ok: r.pairs === 0, count: r.pairs, detail: `${r.pairs} overlapping pair(s) of active appointments in ${r.orgs} organization(s)` };
}

// The rules the booking function writes by, checked on whatever is stored (staff edits, imports,
// a constraint someone dropped). Counts per rule, never the data itself.
async function leadsNormalized(client: pg.ClientBase): Promise<Verdict> {
  const r = await one<{ bad: number; total: number; name: number; email: number; phone: number; status: number }>(client,
    `with checked as (
       select
         ${LEAD_RULES_SQL.name} as name_ok,
         ${LEAD_RULES_SQL.email} as email_ok,
         ${LEAD_RULES_SQL.phone} as phone_ok,
         (l.status = any($1::text[])) is true as status_ok
       from public.leads l
     )
     select count(*) filter (where not (name_ok and email_ok and phone_ok and status_ok))::int as bad,
            count(*)::int as total,
            count(*) filter (where not name_ok)::int as name,
            count(*) filter (where not email_ok)::int as email,
            count(*) filter (where not phone_ok)::int as phone,
            count(*) filter (where not status_ok)::int as status
     from checked`, [LEAD_STATUSES]);
  const rules = (['name', 'email', 'phone', 'status'] as const).filter((k) => r[k] > 0).map((k) => `${k} ${r[k]}`);
  return {
    ok: r.bad === 0,
    count: r.bad,
    detail: `${r.bad} of ${r.total} lead(s) break the normalization rules${rules.length ? ` (${rules.join(', ')})` : ''}`,
  };
}

async function singleBookingFunction(client: pg.ClientBase): Promise<Verdict> {
  const { rows } = await client.query<{ signature: string; canonical: boolean }>(
    `select format('%I.%I(%s) returns %s', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes),
                   pg_catalog.format_type(p.prorettype, null)) as signature,
            (p.oid = to_regprocedure($1) and p.prorettype = 'jsonb'::regtype) as canonical
     from pg_catalog.pg_proc p
     join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and p.proname like 'book\\_appointment%'
     order by 1`, [CANONICAL]);
  const ok = rows.length === 1 && rows[0]?.canonical === true;
  const extra = rows.filter((r) => !r.canonical).map((r) => r.signature);
  const detail = ok
    ? `only ${rows[0]?.signature}`
    : rows.length === 0
      ? 'no book_appointment% function in public'
      : `${rows.length} function(s); ${rows.some((r) => r.canonical) ? 'canonical present' : 'canonical (uuid,text,text,text,text,timestamptz,integer,text) returns jsonb MISSING'}` +
        (extra.length ? `; unexpected: ${list(extra)}` : '');
  return { ok, count: rows.length, detail };
}

// RLS on every table of the exposed schema; leads and appointments must also have policies
// (RLS with no policy would lock staff out, not protect them).
async function rlsEnabled(client: pg.ClientBase): Promise<Verdict> {
  const { rows } = await client.query<{ table: string; rls: boolean; policies: number }>(
    `select c.relname as table, c.relrowsecurity as rls,
            (select count(*)::int from pg_catalog.pg_policy p where p.polrelid = c.oid) as policies
     from pg_catalog.pg_class c
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')
     order by 1`);
  const problems: string[] = [];
  for (const row of rows) if (!row.rls) problems.push(`${row.table}: RLS off`);
  for (const table of RLS_TABLES) {
    const row = rows.find((r) => r.table === table);
    if (!row) problems.push(`${table}: missing`);
    else if (row.policies === 0) problems.push(`${table}: no policies`);
  }
  const policyCounts = RLS_TABLES.map((t) => `${t} ${rows.find((r) => r.table === t)?.policies ?? 0}`).join(', ');
  return {
    ok: problems.length === 0,
    count: problems.length,
    detail: problems.length ? list(problems) : `RLS on all ${rows.length} public table(s); policies: ${policyCounts}`,
  };
}

// anon and authenticated (directly or through PUBLIC) must not execute any booking function;
// the edge function's service_role must execute the canonical one.
async function bookingFunctionGrants(client: pg.ClientBase): Promise<Verdict> {
  const { rows } = await client.query<{ problem: string }>(
    `select format('%s can execute %I(%s)', r.rolname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) as problem
     from pg_catalog.pg_proc p
     join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     cross join pg_catalog.pg_roles r
     where n.nspname = 'public' and p.proname like 'book\\_appointment%'
       and r.rolname = any($1::text[])
       and has_function_privilege(r.oid, p.oid, 'execute')
     union all
     select 'service_role cannot execute the booking function'
     where to_regprocedure($2) is not null
       and exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role')
       and not has_function_privilege('service_role', to_regprocedure($2), 'execute')
     order by 1`, [API_ROLES, CANONICAL]);
  const problems = rows.map((r) => r.problem);
  return {
    ok: problems.length === 0,
    count: problems.length,
    detail: problems.length ? list(problems) : 'anon and authenticated cannot execute it; service_role can',
  };
}

// Every file in supabase/migrations recorded as applied (what `supabase db push` records), and
// nothing recorded that the repository does not have (the CLI would refuse the next push).
async function migrationsApplied(client: pg.ClientBase, migrationsDir: string | undefined): Promise<Verdict> {
  const files = listMigrationFiles(migrationsDir).map((m) => m.version);
  const exists = await one<{ present: boolean }>(client,
    `select to_regclass('supabase_migrations.schema_migrations') is not null as present`);
  const applied = exists.present
    ? (await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((r) => r.version)
    : [];
  const missing = files.filter((v) => !applied.includes(v));
  const unknown = applied.filter((v) => !files.includes(v)).sort(compareVersions);
  const parts: string[] = [];
  if (!exists.present) parts.push('supabase_migrations.schema_migrations does not exist');
  if (missing.length) parts.push(`missing: ${list(missing, 20)}`);
  if (unknown.length) parts.push(`applied but not in the repository: ${list(unknown, 20)}`);
  const count = missing.length + unknown.length;
  return {
    ok: count === 0,
    count,
    detail: parts.length ? parts.join('; ') : `all ${files.length} migration(s) applied, latest ${files.at(-1) ?? 'none'}`,
  };
}

async function exclusionConstraint(client: pg.ClientBase): Promise<Verdict> {
  const { rows } = await client.query<{ type: string; validated: boolean; definition: string }>(
    `select c.contype::text as type, c.convalidated as validated, pg_catalog.pg_get_constraintdef(c.oid) as definition
     from pg_catalog.pg_constraint c
     where c.conrelid = to_regclass('public.appointments') and c.conname = 'appointments_no_overlap'`);
  const c = rows[0];
  if (!c) return { ok: false, count: 1, detail: 'appointments_no_overlap is missing' };
  // The shape that makes it the overlap guard: per org, range overlap, active rows only.
  const shaped = c.type === 'x' && /org_id WITH =/.test(c.definition) && /WITH &&/.test(c.definition) && /WHERE \(is_active\)/.test(c.definition);
  const ok = shaped && c.validated;
  return {
    ok,
    count: ok ? 0 : 1,
    detail: ok ? 'present and validated' : `${c.validated ? 'validated' : 'NOT validated'}: ${c.definition}`,
  };
}

const CHECKS: ReadonlyArray<{ key: AuditKey; title: string; run: (client: pg.ClientBase, opts: AuditOptions) => Promise<Verdict> }> = [
  { key: 'no_overlapping_appointments', title: 'no overlapping appointments', run: noOverlaps },
  { key: 'leads_normalized', title: 'leads normalized', run: leadsNormalized },
  { key: 'single_booking_function', title: 'one booking function', run: singleBookingFunction },
  { key: 'rls_enabled', title: 'row level security', run: rlsEnabled },
  { key: 'booking_function_grants', title: 'booking function grants', run: bookingFunctionGrants },
  { key: 'migrations_applied', title: 'migrations applied', run: (c, o) => migrationsApplied(c, o.migrationsDir) },
  { key: 'exclusion_constraint', title: 'exclusion constraint', run: exclusionConstraint },
];

export async function runAudit(client: pg.ClientBase, opts: AuditOptions = {}): Promise<AuditReport> {
  const checks: AuditResult[] = [];
  // Read only: the audit runs against production right after a deploy and must not write.
  await client.query('begin transaction read only');
  try {
    await client.query(`set local statement_timeout = '60s'`);
    for (const check of CHECKS) {
      const verdict = await inSavepoint(client, () => check.run(client, opts)).catch((error: unknown): Verdict => ({
        ok: false, count: 1, detail: `error: ${oneLine(error)}`,
      }));
      checks.push({ key: check.key, title: check.title, ...verdict });
    }
  } finally {
    await client.query('rollback');
  }
  const passed = checks.filter((c) => c.ok).length;
  return { ok: passed === checks.length, passed, total: checks.length, checks };
}

export function formatAudit(report: AuditReport, target: string): string {
  const header = ['check', 'result', 'count', 'detail'];
  const rows = report.checks.map((c) => [c.title, c.ok ? 'pass' : 'FAIL', String(c.count), c.detail]);
  const widths = header.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i] ?? 0) : i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  return [
    `audit ${target} (read only)`,
    line(header),
    line(widths.map((w) => '-'.repeat(w)).concat('-'.repeat(6))),
    ...rows.map(line),
    `${report.passed}/${report.total} checks passed`,
  ].join('\n');
}
