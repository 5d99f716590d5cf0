// The migrations in supabase/migrations and their reverse scripts in supabase/rollbacks, named
// the way the Supabase CLI names them: `<version>_<name>.sql` ↔ `<version>_<name>.down.sql`.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR, SUPABASE_DIR } from '../lib/project.ts';

export const ROLLBACKS_DIR = path.join(SUPABASE_DIR, 'rollbacks');

export interface MigrationFile {
  /** The digits before the first underscore: what schema_migrations.version records. */
  version: string;
  name: string;
  /** `<version>_<name>`, shared by the migration and its rollback. */
  basename: string;
  path: string;
}

// The CLI's own pattern; files that do not match it are skipped by `supabase db push` too.
const MIGRATION_FILE = /^([0-9]+)_(.*)\.sql$/;

export function listMigrationFiles(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({
      version: match[1] ?? '',
      name: match[2] ?? '',
      basename: file.slice(0, -'.sql'.length),
      path: path.join(dir, file),
    }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

export function rollbackFileOf(migration: MigrationFile, dir: string = ROLLBACKS_DIR): string {
  return path.join(dir, `${migration.basename}.down.sql`);
}

export function hasRollbackFile(migration: MigrationFile, dir: string = ROLLBACKS_DIR): boolean {
  return existsSync(rollbackFileOf(migration, dir));
}

/** Versions are digit strings of any length (timestamps by convention): compare as numbers. */
export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isVersion(text: string): boolean {
  return /^[0-9]+$/.test(text);
}
