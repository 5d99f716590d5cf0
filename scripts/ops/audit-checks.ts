// Post-deploy health checks. Each check is one SQL file in supabase/checks (the way
// supabase/splinter keeps its lints): one read-only query returning one row of
// (key, ok, count, detail). This runner only loads and runs them; the pgTAP suite
// (supabase/tests/11_health_checks.test.sql) asserts the same files, so each rule is written once.
// They run in one read-only transaction, each in a savepoint, so a missing table fails that
// check, not the run.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { SUPABASE_DIR } from '../lib/project.ts';
import { oneLine } from './connect.ts';
import { listMigrationFiles } from './migration-files.ts';
import { inSavepoint } from './transaction.ts';
import { textTable } from '../lib/table.ts';

export const CHECKS_DIR = path.join(SUPABASE_DIR, 'checks');

/** The check's file name without its number: `0001_no_overlapping_appointments.sql` → key. */
export type AuditKey = string;

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

export interface AuditOptions {
  /** Where the migration files are (tests point elsewhere); default supabase/migrations. */
  migrationsDir?: string;
  /** Only these clinics, for the checks that look at rows (tests share one database). */
  orgIds?: readonly string[];
}

export interface HealthCheck { key: AuditKey; title: string; sql: string }

const CHECK_FILE = /^[0-9]+_([a-z0-9_]+)\.sql$/;

export function loadHealthChecks(dir: string = CHECKS_DIR): HealthCheck[] {
  return readdirSync(dir).sort().flatMap((file) => {
    const key = CHECK_FILE.exec(file)?.[1];
    if (!key) return [];
    const sql = readFileSync(path.join(dir, file), 'utf8');
    const title = /^-- title: (.+)$/m.exec(sql)?.[1]?.trim() ?? key.replace(/_/g, ' ');
    return [{ key, title, sql }];
  });
}

interface CheckRow { key: string; ok: boolean; count: number; detail: string }

async function runCheck(client: pg.ClientBase, check: HealthCheck): Promise<Omit<AuditResult, 'title'>> {
  const { rows } = await client.query<CheckRow>(check.sql);
  const row = rows[0];
  if (rows.length !== 1 || !row || row.key !== check.key) {
    throw new Error(`${check.key}: a check must return one row keyed ${check.key}`);
  }
  return { key: row.key, ok: row.ok, count: row.count, detail: row.detail };
}

export async function runAudit(client: pg.ClientBase, opts: AuditOptions = {}): Promise<AuditReport> {
  const checks: AuditResult[] = [];
  // Read only: the audit runs against production right after a deploy and must not write.
  await client.query('begin transaction read only');
  try {
    await client.query(`set local statement_timeout = '60s'`);
    await client.query(
      `select pg_catalog.set_config('checks.migration_versions', $1, true),
              pg_catalog.set_config('checks.org_ids', $2, true)`,
      [listMigrationFiles(opts.migrationsDir).map((m) => m.version).join(','), opts.orgIds ? `{${opts.orgIds.join(',')}}` : '']);
    for (const check of loadHealthChecks()) {
      const result = await inSavepoint(client, () => runCheck(client, check)).catch((error: unknown) => ({
        key: check.key, ok: false, count: 1, detail: `error: ${oneLine(error)}`,
      }));
      checks.push({ ...result, title: check.title });
    }
  } finally {
    await client.query('rollback');
  }
  const passed = checks.filter((c) => c.ok).length;
  return { ok: passed === checks.length, passed, total: checks.length, checks };
}

export function formatAudit(report: AuditReport, target: string): string {
  const rows = report.checks.map((c) => [c.title, c.ok ? 'pass' : 'FAIL', String(c.count), c.detail]);
  return [
    `audit ${target} (read only)`,
    textTable(['check', 'result', 'count', 'detail'], rows, { right: [2] }),
    `${report.passed}/${report.total} checks passed`,
  ].join('\n');
}

/** One check, scoped to some clinics: the test suites assert the audit's own rules. */
export async function runHealthCheck(client: pg.ClientBase, key: AuditKey, orgIds: readonly string[]): Promise<Omit<AuditResult, 'title'>> {
  const check = loadHealthChecks().find((c) => c.key === key);
  if (!check) throw new Error(`no health check ${key} in ${CHECKS_DIR}`);
  await client.query('begin transaction read only');
  try {
    await client.query(`select pg_catalog.set_config('checks.org_ids', $1, true)`, [`{${orgIds.join(',')}}`]);
    return await runCheck(client, check);
  } finally {
    await client.query('rollback');
  }
}
