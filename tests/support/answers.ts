// What the endpoint's answers must and must not look like.
import { BOOKED_ANSWER, errorMessage, SLOT_TAKEN_OPENING } from '../../supabase/functions/_shared/speech.ts';

export const UNAVAILABLE_LINE = errorMessage('UNAVAILABLE');
export const TRY_AGAIN_LINE = errorMessage('TRY_AGAIN');
export const SLOT_TAKEN_PREFIX = SLOT_TAKEN_OPENING;

/** "You're booked for …" or, after a date correction, "I've booked …" (speech.ts). */
export const BOOKED_LINE = BOOKED_ANSWER;

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
