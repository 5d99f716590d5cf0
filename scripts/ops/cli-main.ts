// The shared frame of the operator scripts: exit codes and error output.
//   0  everything checked passed / the work was done
//   1  a check failed (or, for rollback, a step failed part-way)
//   2  nothing was checked or changed: bad usage, unreachable database, refused plan
// Errors are one line on stderr: no stack trace, no password.
import { ConnectionError, oneLine } from './connect.ts';
import { UsageError, wantsHelp } from './cli-args.ts';

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
