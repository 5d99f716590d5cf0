// `--json` as the README shows it: `npm run -s <script> -- --json` prints one JSON document on
// stdout and nothing else (without -s npm's banner would precede it).
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';
import { run } from '../../scripts/lib/run.ts';
import { requireStackValue } from '../support/stack-env.ts';

describe('npm run -s … -- --json', () => {
  it.each(['validate', 'audit'])('%s: stdout parses as JSON and says ok', async (script) => {
    const env = { ...process.env, SUPABASE_DB_URL: requireStackValue('DATABASE_URL') };
    const result = await run('npm', ['run', '-s', script, '--', '--json'], { cwd: PROJECT_ROOT, env, allowFailure: true });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout) as { ok: boolean; database: string };
    expect(report.ok).toBe(true);
    expect(report.database).toMatch(/^postgres@127\.0\.0\.1:\d+\/postgres$/);
  });
});
