// Which applied migrations a rollback to `<version>` reverts, newest first, and with which
// reverse script. Pure: refuses (throws) before anything touches the database.
import { readFileSync } from 'node:fs';
import { OperatorError } from './cli-main.ts';
import { compareVersions, hasRollbackFile, isVersion, listMigrationFiles, rollbackFileOf, ROLLBACKS_DIR } from './migration-files.ts';
import { MIGRATIONS_DIR } from '../lib/project.ts';

export interface RollbackStep {
  version: string;
  name: string;
  /** The reverse script, supabase/rollbacks/<version>_<name>.down.sql. */
  file: string;
}

export interface PlanOptions {
  migrationsDir?: string;
  rollbacksDir?: string;
}

/**
 * `to` is '0' (revert everything) or the version of a migration in the repository: a typo must
 * not silently revert more than meant. Every applied version newer than `to` needs its migration
 * file (to know its name) and its reverse script; otherwise nothing is reverted at all.
 */
export function planRollback(applied: readonly string[], to: string, opts: PlanOptions = {}): RollbackStep[] {
  const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const rollbacksDir = opts.rollbacksDir ?? ROLLBACKS_DIR;
  const files = listMigrationFiles(migrationsDir);
  if (!isVersion(to)) throw new OperatorError(`--to must be 0 or a migration version (digits), got ${JSON.stringify(to)}`);
  if (to !== '0' && !files.some((m) => m.version === to)) {
    throw new OperatorError(`--to ${to} is not the version of a migration in supabase/migrations`);
  }
  const newer = applied.filter((v) => compareVersions(v, to) > 0).sort((a, b) => compareVersions(b, a));
  const problems: string[] = [];
  const steps: RollbackStep[] = [];
  for (const version of newer) {
    const migration = files.find((m) => m.version === version);
    if (!migration) {
      problems.push(`${version} is applied but has no migration file here`);
    } else if (!hasRollbackFile(migration, rollbacksDir)) {
      problems.push(`missing ${migration.basename}.down.sql`);
    } else {
      steps.push({ version, name: migration.name, file: rollbackFileOf(migration, rollbacksDir) });
    }
  }
  if (problems.length > 0) throw new OperatorError(`refusing to roll back, nothing changed: ${problems.join('; ')}`);
  return steps;
}

export function readRollbackSql(step: RollbackStep): string {
  return readFileSync(step.file, 'utf8');
}
