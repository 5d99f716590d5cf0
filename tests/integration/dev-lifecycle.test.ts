// What keeps `npm run dev` from leaving processes behind, exercised on throwaway processes
// (the real dev run is proven end to end by .ci/run: start, demo, SIGTERM to npm alone, ps):
// the reaper stops what it was told about when its parent's pipe closes without "done";
// stack:stop's record-based stop finds a dead dev's leftovers; a reused pid is never signalled.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReaper } from '../../scripts/lib/reaper.ts';
import { isAlive, launcherChain, refOf, type ProcessRef } from '../../scripts/lib/processes.ts';
import { stopRecordedDev, writeDevState } from '../../scripts/lib/dev-state.ts';
import { waitFor } from '../../scripts/lib/poll.ts';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';

/** A process group like the gateway's: a parent with a child, both sleeping. */
function sleeperGroup(): ChildProcess {
  return spawn('sh', ['-c', 'sleep 300 & sleep 300; wait'], { detached: true, stdio: 'ignore' });
}
const groupAlive = (pgid: number): boolean => { try { process.kill(-pgid, 0); return true; } catch { return false; } };

describe('npm run dev clean-up machinery', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-booking-dev-'));
  const spawned: ChildProcess[] = [];
  afterAll(() => {
    for (const c of spawned) { try { process.kill(-(c.pid ?? 0), 'SIGKILL'); } catch { /* gone */ } }
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 of the parent: the reaper sees its pipe close and stops the recorded process groups', async () => {
    const group = sleeperGroup();
    spawned.push(group);
    const parent = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'tests', 'support', 'reaper-parent.ts'), String(group.pid)],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    parent.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    const reaperPid = Number(await waitFor(() => /ready (\d+)/.exec(output)?.[1], { what: 'the stand-in dev to start its reaper', timeoutMs: 20_000 }));
    const reaper = refOf(reaperPid);
    expect(isAlive(reaper)).toBe(true);
    expect(groupAlive(group.pid ?? 0)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(() => !groupAlive(group.pid ?? 0), { what: 'the sleeper group to be stopped', timeoutMs: 20_000 });
    await waitFor(() => !isAlive(reaper), { what: 'the reaper to exit', timeoutMs: 20_000 });
  });

  it('a released reaper exits and stops nothing', async () => {
    const group = sleeperGroup();
    spawned.push(group);
    const reaper = startReaper();
    reaper.tell({ service: { ...refOf(group.pid ?? 0), name: 'sleeper' } });
    reaper.release();
    await waitFor(() => !isAlive(reaper.ref), { what: 'the reaper to exit', timeoutMs: 15_000 });
    expect(groupAlive(group.pid ?? 0)).toBe(true);
    process.kill(-(group.pid ?? 0), 'SIGKILL');
  });

  it('stopRecordedDev stops a dead dev\'s leftovers but never a reused pid', async () => {
    const leftover = sleeperGroup();
    const stranger = sleeperGroup();
    spawned.push(leftover, stranger);
    const file = path.join(dir, 'dev.json');
    const deadDev: ProcessRef = { pid: stranger.pid ?? 0, start: '1' }; // same pid, other start time: not ours
    writeDevState({ dev: deadDev, services: [{ ...refOf(leftover.pid ?? 0), name: 'gateway' }, { pid: stranger.pid ?? 0, start: '1', name: 'vapi-booking' }] }, file);
    expect(await stopRecordedDev(file)).toEqual(['gateway']);
    expect(groupAlive(leftover.pid ?? 0)).toBe(false);
    expect(groupAlive(stranger.pid ?? 0)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('watches the launchers up to npm', () => {
    const chain = launcherChain();
    expect(chain.length).toBeGreaterThan(0);
    expect(chain.every((ref) => isAlive(ref))).toBe(true);
    expect(chain[0]?.pid).toBe(process.ppid);
  });
});
