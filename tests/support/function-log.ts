// The edge function's log (one JSON line per tool call), as the integration setup captures it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { requireStackValue } from './stack-env.ts';
import { waitFor } from '../../scripts/lib/poll.ts';

export interface ToolCallLog {
  event: 'tool_call';
  tool: string;
  org: string | null;
  callId: string | null;
  toolCallId: string;
  outcome: string;
  totalMs: number;
  rpcMs: number;
}

export function functionLogPath(): string {
  return requireStackValue('FUNCTION_LOG');
}

/** Byte offset of the end of the log now: read from here to see only later lines. */
export function functionLogOffset(): number {
  const file = functionLogPath();
  return existsSync(file) ? statSync(file).size : 0;
}

export function readFunctionLog(fromOffset = 0): string {
  const file = functionLogPath();
  if (!existsSync(file)) return '';
  return readFileSync(file).subarray(fromOffset).toString('utf8');
}

function isToolCallLog(value: unknown): value is ToolCallLog {
  return typeof value === 'object' && value !== null && (value as { event?: unknown }).event === 'tool_call';
}

/** Tool-call lines written since `fromOffset` (other lines are ignored). */
export function toolCallLines(fromOffset = 0): ToolCallLog[] {
  const lines: ToolCallLog[] = [];
  for (const line of readFunctionLog(fromOffset).split('\n')) {
    if (!line.startsWith('{')) continue;
    let parsed: unknown;
    try { parsed = JSON.parse(line); } catch { continue; }
    if (isToolCallLog(parsed)) lines.push(parsed);
  }
  return lines;
}

/**
 * Waits until at least `count` tool-call lines since `fromOffset` satisfy `match`. The
 * function writes its line as it answers; the test harness appends it to the file a moment
 * later, so a caller that just got its answer polls for the line.
 */
export function waitForToolCallLines(fromOffset: number, count: number, match: (line: ToolCallLog) => boolean = () => true, timeoutMs = 5000): Promise<ToolCallLog[]> {
  return waitFor(() => {
    const lines = toolCallLines(fromOffset).filter(match);
    return lines.length >= count ? lines : undefined;
  }, { what: `${count} tool-call log lines`, timeoutMs });
}
