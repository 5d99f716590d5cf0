// `supabase db lint` runs plpgsql_check, a C extension Debian builds for PostgreSQL 15 only (the
// embedded 17 has none): scripts/test.ts runs this file on the 15 stack and leaves it out of
// the 17 run, and its summary says so.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';
import { run } from '../../scripts/lib/run.ts';
import { requireStackValue } from '../support/stack-env.ts';

const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'supabase');
const env = { ...process.env, PGSSLMODE: 'disable', SUPABASE_TELEMETRY_DISABLED: '1' };

describe('supabase db lint', () => {
  it('db lint (plpgsql_check) finds no error or warning in public and private', async () => {
    const { stdout, stderr, code } = await run(cli, ['db', 'lint', `--remote=${requireStackValue('DATABASE_URL')}`,
      '--schema', 'public,private', '--level', 'warning', '--fail-on', 'warning'], { cwd: PROJECT_ROOT, env, allowFailure: true });
    expect({ code, output: `${stdout}${stderr}`.includes('No schema errors found') }).toEqual({ code: 0, output: true });
  });
});
