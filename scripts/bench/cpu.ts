// CPU time by component (Linux /proc): this load generator, the gateway, the edge function and
// the stack's Postgres (postmaster and its backends). On a small machine every component
// shares the same cores, so a throughput figure means little without this split.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface ProcStat { pid: number; ppid: number; cpuMs: number }

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid, cpuMs: (utime + stime) * TICK_MS };
  } catch {
    return null;
  }
}

function allStats(): ProcStat[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is ProcStat => s !== null);
}

/** CPU ms of a process and all its living descendants. */
function treeCpuMs(root: number, stats: readonly ProcStat[]): number {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let total = 0;
  const queue = stats.filter((s) => s.pid === root);
  while (queue.length) {
    const s = queue.pop() as ProcStat;
    total += s.cpuMs;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return total;
}

export interface CpuComponents {
  gatewayPid?: number | undefined;
  functionPid?: number | undefined;
  /** The cluster's data directory (its postmaster.pid names the postmaster). */
  postgresDataDir: string;
}

export type CpuSnapshot = Record<string, number>;

export function cpuSnapshot(components: CpuComponents): CpuSnapshot {
  const stats = allStats();
  const own = process.cpuUsage();
  const snapshot: CpuSnapshot = { 'load generator (node)': (own.user + own.system) / 1000 };
  if (components.gatewayPid) snapshot['gateway (node)'] = treeCpuMs(components.gatewayPid, stats);
  if (components.functionPid) snapshot['edge function (deno)'] = treeCpuMs(components.functionPid, stats);
  const pidFile = path.join(components.postgresDataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    // Backends that exited during the run take their CPU with them: compare runs that keep
    // their connections open.
    if (postmaster) snapshot.postgres = treeCpuMs(postmaster, stats);
  }
  return snapshot;
}

export function describeCores(used: Record<string, number>): string {
  const total = Object.values(used).reduce((a, b) => a + b, 0);
  return `${Object.entries(used).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} (sum ${total.toFixed(2)} cores)`;
}

/** CPU split summed over several runs (e.g. the alternating throughput rounds). */
export class CpuAccumulator {
  private readonly used: Record<string, number> = {};
  private wall = 0;

  constructor(private readonly components: CpuComponents) {}

  async measure<T>(work: () => Promise<T>): Promise<T> {
    const before = cpuSnapshot(this.components);
    const t0 = process.hrtime.bigint();
    const value = await work();
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const after = cpuSnapshot(this.components);
    for (const [name, end] of Object.entries(after)) {
      const start = before[name];
      if (start !== undefined) this.used[name] = (this.used[name] ?? 0) + (end - start);
    }
    this.wall += wallMs;
    return value;
  }

  /** Average cores used by each component over the measured runs. */
  cores(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, cpuMs] of Object.entries(this.used)) out[name] = this.wall > 0 ? Math.round((cpuMs / this.wall) * 100) / 100 : 0;
    return out;
  }
}
