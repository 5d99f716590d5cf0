// Internals that must never reach a caller in an answer body (stack frames, error classes, SQL,
// postgres names): checked by the integration tests and by the soak on every answer.

const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['stack frame', /\bat\s+\S+\s+\(|^\s*at\s|\bat\s+(?:file|https?|ext):|\.ts:\d+:\d+/m],
  ['error class', /\b[A-Za-z]*Error\b:|\bError:/],
  ['SQL keyword', /\b(?:select|insert|update|delete|syntax|sqlstate|relation|constraint|violates|plpgsql)\b/i],
  ['postgres name', /\bpg_|\bPGRST|\b(?:public|private)\.[a-z_]+/i],
];

/** The kinds of internals found in a response body ([] when it is clean). */
export function leaksIn(text: string): string[] {
  return LEAKS.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind);
}
