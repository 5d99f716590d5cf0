// Child processes for the stack: captured output, and the postgres OS user when we are root.
import { spawn } from 'node:child_process';

export interface RunResult { code: number; stdout: string; stderr: string }

export function run(
  command: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; allowFailure?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? 1, stdout, stderr };
      if (result.code !== 0 && !opts.allowFailure) {
        const detail = redactSecrets(`${command} ${args.join(' ')} exited ${result.code}: ${stderr.trim() || stdout.trim()}`);
        reject(new Error(detail));
      } else {
        resolve(result);
      }
    });
    if (child.stdin) {
      // A child that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` OS user. */
export function runAsDbOwner(command: string, args: readonly string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  // cwd '/': the postgres user may not be allowed into the directory we were started from.
  return isRoot() ? run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: '/', ...opts }) : run(command, args, opts);
}

/** Connection URLs carry passwords: never let one reach a log or an error message. */
export function redactSecrets(text: string): string {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@')
    .replace(/(\w*password=)[^\s&]+/gi, '$1***'); // psql -v <role>_password=… variables
}
