// The bench's outputs: the machine it ran on, the summary table (console and markdown) and
// the files under .local/bench/.
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  loadAverageAtStart: number[];
}

export function describeMachine(postgresVersion: string, loadAverageAtStart: number[]): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: postgresVersion,
    loadAverageAtStart,
  };
}

export type Verdict = 'PASS' | 'MISS';

export interface Figure {
  label: string;
  value: string;
  target?: string;
  verdict?: Verdict;
}

export const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'MISS');

export function figureRows(figures: readonly Figure[]): string[][] {
  return figures.map((f) => [f.label, f.value, f.target ?? '', f.verdict ?? '']);
}

export function machineLines(m: Machine): string[] {
  return [
    `CPU: ${m.cpuModel}, ${m.cores} cores`,
    `Memory: ${m.memoryGiB} GiB`,
    `OS: ${m.os}`,
    `Node: ${m.node}`,
    `PostgreSQL: ${m.postgres}`,
    `Load average at start: ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  ];
}

export function writeReport(dir: string, json: unknown, markdown: string): { jsonFile: string; markdownFile: string } {
  mkdirSync(dir, { recursive: true });
  const jsonFile = path.join(dir, 'latest.json');
  const markdownFile = path.join(dir, 'latest.md');
  writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(markdownFile, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return { jsonFile, markdownFile };
}
