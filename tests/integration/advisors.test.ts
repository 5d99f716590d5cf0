// Supabase's own checks on the migrated schema: the advisors (splinter's security and
// performance lints) and `db lint` (plpgsql_check), run by the real CLI.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';
import { run } from '../../scripts/lib/run.ts';
import { requireStackValue } from '../support/stack-env.ts';

const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'supabase');
const env = { ...process.env, PGSSLMODE: 'disable', SUPABASE_TELEMETRY_DISABLED: '1' };

interface Advisory { name: string; level: string; detail: string }

describe('supabase db advisors / db lint', () => {
  it('advisors report no security or performance finding (unused_index aside: a fresh database has no index usage yet)', async () => {
    const { stdout } = await run(cli, ['db', 'advisors', `--remote=${requireStackValue('DATABASE_URL')}`,
      '--type', 'all', '--level', 'info', '--output-format', 'json'], { cwd: PROJECT_ROOT, env });
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { results: Advisory[] };
    const findings = report.results.filter((r) => r.name !== 'unused_index').map((r) => `${r.level} ${r.name}: ${r.detail}`);
    expect(findings).toEqual([]);
  });

  it('db lint (plpgsql_check) finds no error or warning in public and private', async () => {
    const { stdout, stderr, code } = await run(cli, ['db', 'lint', `--remote=${requireStackValue('DATABASE_URL')}`,
      '--schema', 'public,private', '--level', 'warning', '--fail-on', 'warning'], { cwd: PROJECT_ROOT, env, allowFailure: true });
    expect({ code, output: `${stdout}${stderr}`.includes('No schema errors found') }).toEqual({ code: 0, output: true });
  });
});
