// What the endpoint's answers must look like (what they must not: scripts/lib/answer-leaks.ts).
import { BOOKED_ANSWER, errorMessage, SLOT_TAKEN_OPENING } from '../../supabase/functions/_shared/speech.ts';

export const UNAVAILABLE_LINE = errorMessage('UNAVAILABLE');
export const TRY_AGAIN_LINE = errorMessage('TRY_AGAIN');
export const SLOT_TAKEN_PREFIX = SLOT_TAKEN_OPENING;

/** "You're booked for …" or, after a date correction, "I've booked …" (speech.ts). */
export const BOOKED_LINE = BOOKED_ANSWER;
