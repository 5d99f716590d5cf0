// Caller name and e-mail, cleaned the way the leads table stores them.
import { z } from 'zod';

const MAX_NAME_LENGTH = 100; // leads.name check constraint, counted in characters
const MAX_EMAIL_LENGTH = 254; // leads.email check constraint

// Control characters and line/paragraph separators would break the one-line log and the
// spoken answer; invisible format characters (bidi overrides, zero-width spaces) let a name
// show as something else on a staff screen. No real name needs them — except the zero-width
// (non-)joiners some scripts and emoji sequences use.
const FORBIDDEN_IN_NAME = /[\p{Cc}\u2028\u2029]|(?![\u200c\u200d])\p{Cf}/u;
const LETTER = /\p{L}/u;
const ALPHANUMERIC = /^[\p{L}\p{N}]$/u;

function mapOneToOne(char: string, mapped: string): string {
  // Postgres maps character by character; 'ß'.toUpperCase() === 'SS' has no such equivalent.
  return [...mapped].length === 1 ? mapped : char;
}

/**
 * Postgres initcap(): a letter is upper-cased when the character before it is not
 * alphanumeric, and lower-cased otherwise. The booking function applies initcap() to the
 * name again, so this must be a fixed point of it: initcap(initcap(x)) === initcap(x).
 * That makes "McDonald" come out as "Mcdonald" — the price of agreeing with the database.
 */
export function initcap(text: string): string {
  let previousAlphanumeric = false;
  let out = '';
  for (const char of text) {
    out += previousAlphanumeric
      ? mapOneToOne(char, char.toLowerCase())
      : mapOneToOne(char, char.toUpperCase());
    previousAlphanumeric = ALPHANUMERIC.test(char);
  }
  return out;
}

export function normalizeName(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string' || FORBIDDEN_IN_NAME.test(raw)) return null;
  // NFC first so "é" typed as e + combining accent counts as one letter, as Postgres sees it.
  const text = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (text === '' || [...text].length > MAX_NAME_LENGTH || !LETTER.test(text)) return null;
  return initcap(text);
}

const emailSchema = z.email().max(MAX_EMAIL_LENGTH);

/** undefined = not given, null = given but not an e-mail address. */
export function normalizeEmail(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return null;
  const text = raw.trim().toLowerCase();
  if (text === '') return undefined;
  return emailSchema.safeParse(text).success ? text : null;
}
