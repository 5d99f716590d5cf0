// Database types come from the real CLI, so the edge function's .rpc() calls are checked
// against the migrated schema.
import path from 'node:path';
import { PROJECT_ROOT, SUPABASE_DIR } from './project.ts';
import { run } from './run.ts';

export const DATABASE_TYPES_FILE = path.join(SUPABASE_DIR, 'functions', '_shared', 'database.types.ts');

export async function generateDatabaseTypes(databaseUrl: string): Promise<string> {
  const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'supabase');
  const { stdout } = await run(cli, ['gen', 'types', 'typescript', `--remote=${databaseUrl}`, '--schema', 'public'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', PGSSLMODE: 'disable' }, // loopback only
  });
  return stdout;
}
