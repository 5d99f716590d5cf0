// npm run rollback -- --db-url URL --to <version> [--dry-run] [--yes]
// Reverts every applied migration newer than <version> (0 = all), newest first, each with its
// supabase/rollbacks/<version>_<name>.down.sql in its own transaction, and records it as
// reverted. Refuses (exit 2, nothing changed) when a reverse script is missing, and when the
// database is not this checkout's local stack unless --yes is given. --dry-run lists what each
// reverse script would drop and the rows it would lose, and changes nothing.
// Exit 0 done, 1 a step failed (the ones before it stay reverted), 2 nothing changed.
import { dbUrlFrom, parseArgs, UsageError } from './ops/cli-args.ts';
import { EXIT_FAILED, EXIT_OK, OperatorError, runCli } from './ops/cli-main.ts';
import { connectDatabase, describeTarget, oneLine } from './ops/connect.ts';
import { planRollback, readRollbackSql } from './ops/rollback-plan.ts';
import { applyRollback, appliedVersions } from './ops/rollback-apply.ts';
import { countDrops, describeDrop, dropsOf } from './ops/rollback-drops.ts';
import { isLocalStack } from './ops/rollback-target.ts';

const USAGE = 'npm run -s rollback -- [--db-url URL] --to <version|0> [--dry-run] [--yes]';
const DETAILS = `Reverts every applied migration newer than <version> (0: all), newest first.
  --db-url URL   the database (default: $SUPABASE_DB_URL)
  --to VERSION   the migration version to keep (0 reverts every migration)
  --dry-run      list what each reverse script would drop, with the rows it would lose; change nothing
  --yes          required unless the database is this checkout's local stack (.local/)
  --help, -h     this text

Exit codes: 0 done, 1 a step failed (the ones before it stay reverted), 2 nothing changed.`;

runCli('rollback', USAGE, async () => {
  const { values, flags } = parseArgs(process.argv.slice(2), { values: ['db-url', 'to'], flags: ['dry-run', 'yes'] });
  const url = dbUrlFrom(values);
  const to = values.to;
  if (to === undefined) throw new UsageError('--to <version> is required (0 reverts every migration)');
  const target = describeTarget(url);
  if (!flags['dry-run'] && !flags.yes && !isLocalStack(url)) {
    throw new OperatorError(`refusing to roll back ${target}: it is not this checkout's local stack and a rollback drops `
      + `tables with the clinics' data. Run with --dry-run to see what would go, then again with --yes.`);
  }
  const client = await connectDatabase(url, 'clinic-booking rollback');
  try {
    const steps = planRollback(await appliedVersions(client), to);
    const out = (line: string): void => { process.stdout.write(`${line}\n`); };
    if (steps.length === 0) {
      out(`rollback ${target}: nothing applied after ${to}`);
      return EXIT_OK;
    }
    out(`rollback ${target} to ${to}: ${steps.length} migration(s), newest first`);
    if (flags['dry-run']) {
      let lost = 0;
      for (const step of steps) {
        out(`  would revert ${step.version} ${step.name}`);
        for (const drop of await countDrops(client, dropsOf(readRollbackSql(step)))) {
          lost += drop.rows ?? 0;
          out(`    ${describeDrop(drop)}`);
        }
      }
      out(`dry run: nothing changed; ${lost} row(s) would be lost`);
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
}, DETAILS);
