// npm run rollback -- --db-url URL --to <version> [--dry-run]
// Reverts every applied migration newer than <version> (0 = all), newest first, each with its
// supabase/rollbacks/<version>_<name>.down.sql in its own transaction, and records it as
// reverted. Refuses (exit 2, nothing changed) when a reverse script is missing.
// Exit 0 done, 1 a step failed (the ones before it stay reverted), 2 nothing changed.
import { dbUrlFrom, parseArgs, UsageError } from './ops/cli-args.ts';
import { EXIT_FAILED, EXIT_OK, runCli } from './ops/cli-main.ts';
import { connectDatabase, describeTarget, oneLine } from './ops/connect.ts';
import { planRollback } from './ops/rollback-plan.ts';
import { applyRollback, appliedVersions } from './ops/rollback-apply.ts';

const USAGE = 'npm run rollback -- --db-url postgresql://user:password@host:port/database --to <version|0> [--dry-run]';

runCli('rollback', USAGE, async () => {
  const { values, flags } = parseArgs(process.argv.slice(2), { values: ['db-url', 'to'], flags: ['dry-run'] });
  const url = dbUrlFrom(values);
  const to = values.to;
  if (to === undefined) throw new UsageError('--to <version> is required (0 reverts every migration)');
  const client = await connectDatabase(url, 'clinic-booking rollback');
  try {
    const steps = planRollback(await appliedVersions(client), to);
    const out = (line: string): void => { process.stdout.write(`${line}\n`); };
    if (steps.length === 0) {
      out(`rollback ${describeTarget(url)}: nothing applied after ${to}`);
      return EXIT_OK;
    }
    out(`rollback ${describeTarget(url)} to ${to}: ${steps.length} migration(s), newest first`);
    if (flags['dry-run']) {
      for (const step of steps) out(`  would revert ${step.version} ${step.name}`);
      return EXIT_OK;
    }
    const outcomes = await applyRollback(client, steps, (o) =>
      out(o.ok ? `  reverted ${o.step.version} ${o.step.name}` : `  FAILED   ${o.step.version} ${o.step.name}: ${oneLine(o.error)}`));
    const done = outcomes.filter((o) => o.ok).length;
    if (done < steps.length) {
      out(`stopped: ${done}/${steps.length} reverted; the database is at the last reverted version`);
      return EXIT_FAILED;
    }
    out(`done: ${done}/${steps.length} reverted`);
    return EXIT_OK;
  } finally {
    await client.end().catch(() => undefined);
  }
});
