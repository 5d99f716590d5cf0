// `supabase db push` of only the migrations up to a version: the CLI pushes whatever its
// workdir's supabase/migrations holds, so a temporary workdir with the first N files gives the
// schema exactly as it was at that version.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, SUPABASE_DIR } from '../../scripts/lib/project.ts';
import { run } from '../../scripts/lib/run.ts';
import { compareVersions, listMigrationFiles } from '../../scripts/ops/migration-files.ts';

export async function pushMigrationsThrough(databaseUrl: string, version: string): Promise<void> {
  const workdir = mkdtempSync(path.join(os.tmpdir(), 'clinic-booking-push-'));
  try {
    const migrations = path.join(workdir, 'supabase', 'migrations');
    mkdirSync(migrations, { recursive: true });
    copyFileSync(path.join(SUPABASE_DIR, 'config.toml'), path.join(workdir, 'supabase', 'config.toml'));
    for (const m of listMigrationFiles()) {
      if (compareVersions(m.version, version) <= 0) copyFileSync(m.path, path.join(migrations, path.basename(m.path)));
    }
    await run(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'supabase'), ['db', 'push', '--workdir', workdir, `--remote=${databaseUrl}`, '--yes'], {
      cwd: workdir,
      env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    });
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
