// A cross-process lock (mkdir is atomic) so two `start`s of one stack never race each other.
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

function ownerAlive(dir: string): boolean {
  const file = path.join(dir, 'pid');
  if (!existsSync(file)) return true; // being created right now
  const pid = Number(readFileSync(file, 'utf8'));
  try { process.kill(pid, 0); return true; } catch { return false; }
}

export async function withLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir, { recursive: false });
      writeFileSync(path.join(dir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!ownerAlive(dir)) { rmSync(dir, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${dir}`);
      await delay(200); // polling another process's lock: there is no event to wait on
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
