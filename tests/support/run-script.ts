// Runs an operator script (scripts/<name>.ts) as `npm run <name>` would, to assert on its exit
// code and output exactly as an operator sees them.
import path from 'node:path';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';
import { run, type RunResult } from '../../scripts/lib/run.ts';

export function runScript(name: 'validate' | 'audit' | 'rollback' | 'backup', args: readonly string[]): Promise<RunResult> {
  const env = { ...process.env };
  delete env.SUPABASE_DB_URL; // only what the test passes decides the target
  return run(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(PROJECT_ROOT, 'scripts', `${name}.ts`), ...args], {
    cwd: PROJECT_ROOT,
    env,
    allowFailure: true,
  });
}
