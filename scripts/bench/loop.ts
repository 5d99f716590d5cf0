// A closed-loop load driver: a fixed number of workers, each one call in flight at a time.
import { elapsedMs } from './stats.ts';

export interface LoopResult {
  latencies: number[];
  wallMs: number;
  ok: number;
  failures: number;
  failureSamples: string[];
  /** Client-side CPU (this Node process) during the run, ms. */
  clientCpuMs: number;
}

/**
 * Closed loop: every worker (a connection, an HTTP slot) takes the next job as soon as its
 * previous one answered, so `workers.length` calls are in flight at all times. `exec` returns
 * null for success or a short description of what went wrong.
 */
export async function runClosedLoop<W, J>(
  workers: readonly W[],
  jobs: readonly J[],
  exec: (worker: W, job: J) => Promise<string | null>,
): Promise<LoopResult> {
  const latencies: number[] = new Array<number>(jobs.length);
  const failureSamples: string[] = [];
  let next = 0;
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(workers.map(async (worker) => {
    for (;;) {
      const index = next;
      next += 1;
      const job = jobs[index];
      if (job === undefined) return;
      const t0 = process.hrtime.bigint();
      let problem: string | null;
      try {
        problem = await exec(worker, job);
      } catch (error) {
        problem = describeError(error);
      }
      latencies[index] = elapsedMs(t0);
      if (problem !== null) {
        failures += 1;
        if (failureSamples.length < 5) failureSamples.push(problem);
      }
    }
  }));
  const wallMs = elapsedMs(started);
  const cpu = process.cpuUsage(cpuBefore);
  return { latencies, wallMs, ok: jobs.length - failures, failures, failureSamples, clientCpuMs: (cpu.user + cpu.system) / 1000 };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

