// Entry of the reaper process (see reaper.ts). Reads JSON lines on stdin until EOF.
import { createInterface } from 'node:readline';
import { rmSync } from 'node:fs';
import { isAlive, stopProcessGroup, type ProcessRef } from './processes.ts';
import { DEV_STATE_FILE, readDevState } from './dev-state.ts';
import { stopStack } from './stack.ts';
import type { ReaperMessage } from './reaper.ts';

// Started in its own session, but a `kill -- -<dev group>` or a hang-up must never cut the
// clean-up short: it ends when its work is done.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);

const services: Array<ProcessRef & { name: string }> = [];
const stacks: string[] = [];
let released = false;

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  try {
    const message = JSON.parse(line) as ReaperMessage;
    if ('service' in message) services.push(message.service);
    else if ('stack' in message) stacks.push(message.stack);
    else if ('done' in message) released = true;
  } catch { /* not ours: ignore */ }
});
lines.on('close', () => {
  if (released) process.exit(0);
  void (async () => {
    await Promise.all(services.map((s) => stopProcessGroup(s)));
    for (const name of stacks) await stopStack(name).catch(() => undefined);
    const state = readDevState();
    if (state && !isAlive(state.dev)) rmSync(DEV_STATE_FILE, { force: true });
    process.exit(0);
  })();
});
