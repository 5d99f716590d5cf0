// The shared frame of the operator scripts: exit codes and error output.
//   0  everything checked passed / the work was done
//   1  a check failed (or, for rollback, a step failed part-way)
//   2  nothing was checked or changed: bad usage, unreachable database, refused plan
// Errors are one line on stderr: no stack trace, no password.
import type pg from 'pg';
import { ConnectionError, connectDatabase, describeTarget, oneLine } from './connect.ts';
import { dbUrlFrom, parseArgs, UsageError, wantsHelp } from './cli-args.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_NOT_RUN = 2;

/** An error whose message is meant for the operator as is (a refusal, not a crash). */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
  constructor(message: string, readonly exitCode: number = EXIT_NOT_RUN) {
    super(message);
  }
}

/** `--help` prints `usage` and `details` on stdout and exits 0 without touching a database. */
export function runCli(command: string, usage: string, main: () => Promise<number>, details = ''): void {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(`usage: ${usage}\n${details ? `\n${details.trimEnd()}\n` : ''}`);
    process.exitCode = EXIT_OK;
    return;
  }
  main()
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${command}: ${error.message}\nusage: ${usage}\n`);
        process.exitCode = EXIT_NOT_RUN;
      } else if (error instanceof ConnectionError) {
        process.stderr.write(`${command}: ${oneLine(error)}\n`);
        process.exitCode = EXIT_NOT_RUN;
      } else if (error instanceof OperatorError) {
        process.stderr.write(`${command}: ${oneLine(error)}\n`);
        process.exitCode = error.exitCode;
      } else {
        // A lost connection mid-run or a bug: still one line, still no secrets.
        process.stderr.write(`${command}: ${oneLine(error)}\n`);
        process.exitCode = EXIT_NOT_RUN;
      }
    });
}

export interface CheckCli<R extends { ok: boolean }> {
  command: string;
  usage: string;
  details: string;
  /** Runs the checks in its own read-only or rolled-back transaction. */
  run: (client: pg.Client) => Promise<R>;
  format: (report: R, target: string) => string;
}

/** audit and validate: --db-url → connect → checks → a table or --json → exit 0 all passed, 1 one failed. */
export function runCheckCli<R extends { ok: boolean }>(cli: CheckCli<R>): void {
  runCli(cli.command, cli.usage, async () => {
    const { values, flags } = parseArgs(process.argv.slice(2), { values: ['db-url'], flags: ['json'] });
    const url = dbUrlFrom(values);
    const client = await connectDatabase(url, `clinic-booking ${cli.command}`);
    try {
      const report = await cli.run(client);
      const target = describeTarget(url);
      process.stdout.write(flags.json ? `${JSON.stringify({ database: target, ...report }, null, 2)}\n` : `${cli.format(report, target)}\n`);
      return report.ok ? EXIT_OK : EXIT_FAILED;
    } finally {
      await client.end().catch(() => undefined);
    }
  }, cli.details);
}
