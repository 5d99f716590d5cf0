// Milliseconds spent in an async step, for the per-call log line.
export async function timed<T>(step: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await step();
  return { value, ms: Math.round((performance.now() - started) * 10) / 10 };
}
