// Supabase's own checks on the migrated schema: the advisors (splinter's security and
// performance lints), run by the real CLI. `db lint` is in db-lint.test.ts (15 only).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';
import { run } from '../../scripts/lib/run.ts';
import { requireStackValue } from '../support/stack-env.ts';

const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'supabase');
const env = { ...process.env, PGSSLMODE: 'disable', SUPABASE_TELEMETRY_DISABLED: '1' };

interface Advisory { name: string; level: string; detail: string }

describe('supabase db advisors', () => {
  it('advisors report no security or performance finding (unused_index aside: a fresh database has no index usage yet)', async () => {
    const { stdout } = await run(cli, ['db', 'advisors', `--remote=${requireStackValue('DATABASE_URL')}`,
      '--type', 'all', '--level', 'info', '--output-format', 'json'], { cwd: PROJECT_ROOT, env });
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { results: Advisory[] };
    const findings = report.results.filter((r) => r.name !== 'unused_index').map((r) => `${r.level} ${r.name}: ${r.detail}`);
    expect(findings).toEqual([]);
  });

});
