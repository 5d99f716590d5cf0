// Is a database URL this checkout's own local stack? Only then may rollback run without --yes:
// a rollback drops tables and the clinics' data. "Local" means a loopback host AND the port on
// which a stack under .local/ is running right now: its cluster's postmaster.pid names that port
// and its postmaster is alive. The port recorded in stack.env alone is not enough — after an
// unclean end it is stale, and the same loopback port may by then be an SSH tunnel to production.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_DIR } from '../lib/project.ts';
import { readEnvFile } from '../lib/env-file.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the postgres OS user, as root runs it).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The port a stack's postmaster is serving, when it is running: postmaster.pid lines 1 and 4. */
function runningPostmasterPort(stackDir: string): string | undefined {
  // The stack's cluster is <stack dir>/pg (a link where the checkout is private), its data in data/.
  const pidFile = path.join(stackDir, 'pg', 'data', 'postmaster.pid');
  let lines: string[];
  try { lines = readFileSync(pidFile, 'utf8').split('\n'); } catch { return undefined; }
  const pid = Number(lines[0]);
  const port = lines[3]?.trim();
  return Number.isInteger(pid) && pid > 0 && port && isAlive(pid) ? port : undefined;
}

export function localStackPorts(localDir: string = LOCAL_DIR): Set<string> {
  const dirs = [localDir];
  if (existsSync(localDir)) {
    for (const entry of readdirSync(localDir, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(path.join(localDir, entry.name));
    }
  }
  const ports = new Set<string>();
  for (const dir of dirs) {
    const recorded = readEnvFile(path.join(dir, 'stack.env')).PGPORT;
    if (recorded && runningPostmasterPort(dir) === recorded) ports.add(recorded);
  }
  return ports;
}

export function isLocalStack(url: string, ports: Set<string> = localStackPorts()): boolean {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return false; }
  return LOOPBACK.has(parsed.hostname) && ports.has(parsed.port || '5432');
}
