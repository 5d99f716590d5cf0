// Processes the stack leaves behind, identified safely: a pid alone can be reused by an
// unrelated process after a crash, so every recorded process carries its start time too
// (/proc/<pid>/stat field 22), and we only ever signal the process we started.
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface ProcessRef { pid: number; start?: string }

/** The kernel's start time of a process (clock ticks since boot), or undefined when gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** The parent pid of a process, from /proc (undefined when gone or not Linux). */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

export function refOf(pid: number): ProcessRef {
  const start = processStartTime(pid);
  return start === undefined ? { pid } : { pid, start };
}

/** Still the very process that was recorded (not a reused pid). */
export function isAlive(ref: ProcessRef): boolean {
  try {
    process.kill(ref.pid, 0);
  } catch {
    return false; // gone, or (EPERM) another user's process: either way not ours any more
  }
  if (ref.start === undefined) return true;
  return processStartTime(ref.pid) === ref.start;
}

function signal(target: number, sig: NodeJS.Signals): void {
  try { process.kill(target, sig); } catch { /* already gone */ }
}

/**
 * Stops a process we started in its own process group (spawned detached): SIGTERM to the
 * whole group (tsx runs the gateway in a child node), SIGKILL after `graceMs`.
 */
export async function stopProcessGroup(ref: ProcessRef, graceMs = 5000): Promise<void> {
  if (!isAlive(ref)) return;
  signal(-ref.pid, 'SIGTERM');
  signal(ref.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(ref) && !groupAlive(ref.pid)) return;
    await delay(100); // another process's exit: there is no event to wait on
  }
  signal(-ref.pid, 'SIGKILL');
  signal(ref.pid, 'SIGKILL');
}

function groupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** Waits until a recorded process has exited; false if it still runs after `timeoutMs`. */
export async function waitForExit(ref: ProcessRef, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(ref)) {
    if (Date.now() > deadline) return false;
    await delay(100);
  }
  return true;
}

/**
 * The processes whose death means "the user's command is over": our parents up to and
 * including the `npm` that ran us (npm exits on SIGTERM without passing it on, leaving its
 * children to init), or just the direct parent chain of tsx when run without npm.
 */
export function launcherChain(pid: number = process.pid): ProcessRef[] {
  const chain: ProcessRef[] = [];
  const viaNpm = process.env.npm_lifecycle_event !== undefined;
  let current = parentPid(pid);
  for (let depth = 0; current !== undefined && current > 1 && depth < 6; depth += 1) {
    chain.push(refOf(current));
    // npm sets its process title, so its cmdline reads "npm run dev" (or node …/npm-cli.js).
    const isNpm = /(^|\/)npm(-cli\.js)?( |$)/.test(commandLine(current).join(' '));
    if (viaNpm ? isNpm : depth >= 1) break;
    current = parentPid(current);
  }
  return chain;
}
