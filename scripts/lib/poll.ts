// Bounded polling for conditions that raise no event (a backend waiting on a lock, a line
// reaching a log file). Never a fixed sleep: it returns as soon as the probe succeeds.
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
}

/** Probes until it returns something other than undefined/null/false; throws after timeoutMs. */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, opts: PollOptions): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() >= deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await delay(opts.intervalMs ?? 25);
  }
}
