// The reaper: a small process `npm run dev` starts first, in its own session (no terminal
// signal reaches it), holding a pipe from dev. Dev tells it, one JSON line each, what it
// started. When the pipe closes without a final {"done":true} — dev was killed, even with
// kill -9 — the reaper stops those services and the Postgres cluster (started by pg_ctl, so no
// pipe of ours reaches the postmaster), then exits. A clean dev stops everything itself.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './project.ts';
import { refOf, type ProcessRef } from './processes.ts';

export type ReaperMessage =
  | { service: ProcessRef & { name: string } }
  | { stack: string }
  | { done: true };

export interface Reaper {
  ref: ProcessRef;
  tell(message: ReaperMessage): void;
  /** Dev stopped everything itself: the reaper exits without doing anything. */
  release(): void;
}

export function startReaper(): Reaper {
  // `node --import tsx` (not the tsx CLI) so the reaper is one process, not a launcher + child.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'lib', 'reaper-main.ts')], {
    cwd: PROJECT_ROOT,
    detached: true,
    // No terminal: a closed terminal must not make its writes fail mid clean-up.
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  child.stdin?.on('error', () => undefined);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the reaper process');
  const tell = (message: ReaperMessage): void => { child.stdin?.write(`${JSON.stringify(message)}\n`); };
  return {
    ref: refOf(pid),
    tell,
    release: () => { tell({ done: true }); child.stdin?.end(); },
  };
}
