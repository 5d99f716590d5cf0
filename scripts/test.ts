// `npm test`: every suite against a fresh, isolated stack (.local/test), then a summary.
// The database suites (pgTAP, vitest integration) run once per PostgreSQL major: 17, what
// supabase/config.toml declares and hosted Supabase runs (embedded binaries from npm), and 15,
// Debian's (where plpgsql_check exists, so `db lint` runs there only). A suite that did not run
// counts as a failure: each must report at least one test and none skipped.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, SUPABASE_DIR } from './lib/project.ts';
import { startStack, stopStack, stackPaths } from './lib/stack.ts';
import { SUPPORTED_MAJORS, type PgMajor } from './lib/pg-install.ts';
import { textTable } from './lib/table.ts';

interface SuiteResult { name: string; passed: number; failed: number; skipped: number; ran: boolean }

/** Files that need an extension only some majors have (see the header). */
const ONLY_ON: Record<string, PgMajor> = { 'tests/integration/db-lint.test.ts': '15' };

const STACK = 'test';

function stream(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); process.stdout.write(d); });
    child.stderr.on('data', (d: Buffer) => { process.stderr.write(d); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * pg_prove over supabase/tests. `timeZone` runs every session in that zone, as a cluster whose
 * `timezone` setting is not UTC would: a test that builds slots from the session's midnight
 * instead of the clinic's passes in UTC only, and fails here.
 */
async function runPgTap(databaseUrl: string, label: string, timeZone?: string): Promise<SuiteResult> {
  const testsDir = path.join(SUPABASE_DIR, 'tests');
  const files = readdirSync(testsDir).filter((f) => f.endsWith('.test.sql')).sort().map((f) => path.join(testsDir, f));
  const env = timeZone ? { ...process.env, PGOPTIONS: `${process.env.PGOPTIONS ?? ''} -c timezone=${timeZone}`.trim() } : process.env;
  // The health checks (supabase/checks) are read by the tests through psql: see fixtures/health-checks.psql.
  const { code, output } = await stream('pg_prove', ['--failures', '--set', `checks_dir=${path.join(SUPABASE_DIR, 'checks')}`, '-d', databaseUrl, ...files], env);
  const total = Number(/Files=\d+, Tests=(\d+)/.exec(output)?.[1] ?? 0);
  const failedSubtests = [...output.matchAll(/Failed (\d+)\/\d+ subtests/g)].reduce((n, m) => n + Number(m[1]), 0);
  const failed = code === 0 ? 0 : Math.max(failedSubtests, 1);
  return { name: `pgTAP${label}`, passed: total - failedSubtests, failed, skipped: 0, ran: total > 0 && /Files=\d+/.test(output) };
}

interface VitestJson { numTotalTests: number; numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }

async function runVitest(project: string, label = '', exclude: string[] = []): Promise<SuiteResult> {
  mkdirSync(stackPaths(STACK).dir, { recursive: true });
  const report = path.join(stackPaths(STACK).dir, `vitest-${project}.json`);
  rmSync(report, { force: true });
  const bin = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vitest');
  const { code } = await stream(bin, ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
    ...exclude.flatMap((file) => ['--exclude', file])],
    { ...process.env, STACK_NAME: STACK });
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
    const failed = json.numFailedTests + (code !== 0 && json.numFailedTests === 0 ? 1 : 0);
    return { name: `vitest ${project}${label}`, passed: json.numPassedTests, failed, skipped: json.numPendingTests + json.numTodoTests, ran: json.numTotalTests > 0 };
  } catch {
    return { name: `vitest ${project}${label}`, passed: 0, failed: 1, skipped: 0, ran: false };
  }
}

/** tsc (strict, the Node side) and deno check (the function as Supabase runs it). */
async function runTypeChecks(): Promise<SuiteResult> {
  const checks: Array<[string, string[]]> = [
    [path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json']],
    [path.join(PROJECT_ROOT, 'node_modules', '.bin', 'deno'), ['check', '--quiet',
      `--config=${path.join(SUPABASE_DIR, 'functions', 'vapi-booking', 'deno.json')}`,
      path.join(SUPABASE_DIR, 'functions', 'vapi-booking', 'index.ts')]],
  ];
  let passed = 0;
  let failed = 0;
  for (const [command, args] of checks) {
    process.stdout.write(`$ ${path.basename(command)} ${args.slice(0, 2).join(' ')}\n`);
    const { code } = await stream(command, args, { ...process.env, NO_COLOR: '1' });
    if (code === 0) passed += 1; else failed += 1;
  }
  return { name: 'typecheck', passed, failed, skipped: 0, ran: true };
}

/** pgTAP and the integration suite on a fresh stack of one major; the stack is removed after. */
async function runDatabaseSuites(major: PgMajor): Promise<SuiteResult[]> {
  const label = ` (PG ${major})`;
  process.stdout.write(`\n=== PostgreSQL ${major} ===\n`);
  process.env.PG_MAJOR = major; // read by the stack, and by vitest's global setup through the environment
  const results: SuiteResult[] = [];
  try {
    const env = await startStack({ name: STACK, fresh: true });
    if (!env.DATABASE_URL || env.PG_MAJOR !== major) throw new Error(`the test stack did not start PostgreSQL ${major}`);
    results.push(await runPgTap(env.DATABASE_URL, label));
    if (major === SUPPORTED_MAJORS[0]) results.push(await runPgTap(env.DATABASE_URL, `${label.slice(0, -1)}, Asia/Tokyo)`, 'Asia/Tokyo'));
    const exclude = Object.entries(ONLY_ON).filter(([, only]) => only !== major).map(([file]) => file);
    if (exclude.length > 0) process.stdout.write(`(not on ${major}, needs an extension it lacks: ${exclude.join(', ')})\n`);
    results.push(await runVitest('integration', label, exclude));
  } catch (error) {
    process.stderr.write(`[test] PostgreSQL ${major}: ${error instanceof Error ? error.message : String(error)}\n`);
    for (const name of ['pgTAP', 'vitest integration']) {
      if (!results.some((r) => r.name.startsWith(name))) results.push({ name: `${name}${label}`, passed: 0, failed: 1, skipped: 0, ran: false });
    }
  } finally {
    await stopStack(STACK, { destroy: true }).catch(() => undefined);
  }
  return results;
}

async function main(): Promise<number> {
  const results: SuiteResult[] = [await runTypeChecks(), await runVitest('unit')];
  const timings: string[] = [];
  for (const major of SUPPORTED_MAJORS) {
    const started = Date.now();
    results.push(...(await runDatabaseSuites(major)));
    timings.push(`PostgreSQL ${major} ${Math.round((Date.now() - started) / 1000)} s`);
  }

  process.stdout.write('\nSuites:\n');
  const verdicts = results.map((r) => (!r.ran ? 'DID NOT RUN' : r.failed > 0 ? 'FAILED' : r.skipped > 0 ? 'SKIPPED TESTS' : 'ok'));
  const ok = verdicts.every((v) => v === 'ok');
  const rows = results.map((r, i) => [r.name, String(r.passed), String(r.failed), String(r.skipped), verdicts[i] ?? '']);
  process.stdout.write(`${textTable(['suite', 'passed', 'failed', 'skipped', ''], rows, { right: [1, 2, 3] })}\n`);
  process.stdout.write(`  (database suites: ${timings.join(', ')})\n`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed + (r.ran ? 0 : 1) + r.skipped, 0);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  return ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`[test] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
