// .local/dev.json: what `npm run dev` started (itself, its reaper, the gateway, the function),
// so `npm run stack:stop` and the next `npm run dev` can find and stop exactly those processes
// after an unclean end, and never start a second set beside them.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_DIR } from './project.ts';
import { isAlive, stopProcessGroup, waitForExit, type ProcessRef } from './processes.ts';

export interface DevState {
  dev: ProcessRef;
  reaper?: ProcessRef;
  services: Array<ProcessRef & { name: string }>;
}

export const DEV_STATE_FILE = path.join(LOCAL_DIR, 'dev.json');

export function readDevState(file = DEV_STATE_FILE): DevState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevState;
  } catch {
    return undefined; // half-written by a killed process: treat as absent
  }
}

export function writeDevState(state: DevState, file = DEV_STATE_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  renameSync(tmp, file);
}

export function removeDevState(owner: ProcessRef, file = DEV_STATE_FILE): void {
  const state = readDevState(file);
  if (state && state.dev.pid === owner.pid) rmSync(file, { force: true });
}

/** The running `npm run dev` recorded in .local/dev.json, if it is still that process. */
export function runningDev(file = DEV_STATE_FILE): DevState | undefined {
  const state = readDevState(file);
  return state && isAlive(state.dev) ? state : undefined;
}

/**
 * Stops what a recorded `npm run dev` started: first the dev process itself (it stops its own
 * children in order), then whatever is still alive from the record (an unclean end).
 * Returns the names of the processes that had to be stopped.
 */
export async function stopRecordedDev(file = DEV_STATE_FILE): Promise<string[]> {
  const state = readDevState(file);
  if (!state) return [];
  const stopped: string[] = [];
  if (isAlive(state.dev)) {
    process.kill(state.dev.pid, 'SIGTERM');
    stopped.push('dev');
    if (!(await waitForExit(state.dev, 20_000))) process.kill(state.dev.pid, 'SIGKILL');
  }
  for (const service of state.services) {
    if (isAlive(service)) stopped.push(service.name);
    await stopProcessGroup(service);
  }
  if (state.reaper && isAlive(state.reaper) && !(await waitForExit(state.reaper, 20_000))) {
    stopped.push('reaper');
    await stopProcessGroup(state.reaper);
  }
  rmSync(file, { force: true });
  return stopped;
}
