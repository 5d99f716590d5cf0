// Caller phone → E.164.
//
// The default entry of libphonenumber-js is its "min" metadata, which is enough: isPossible()
// only checks the national number's length against the country's possible lengths, and those
// lengths are in min as well as max. max adds the per-type digit patterns that isValid() and
// getType() use — exactly the checks we must not apply (they reject the fictional 555 numbers
// clinics test with and lag behind newly opened ranges) — for about 65 kB more. The bare
// specifier also keeps the Deno import map to one entry.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

// Digits, an optional leading +, and the separators people and models put between groups.
// Letters are refused: libphonenumber would otherwise pull a number out of free text
// ("call me on …") or read vanity letters, and neither is something the caller confirmed.
const PHONE_CHARACTERS = /^\+?[0-9\s().\-/]+$/;
// The leads table's constraints: E.164 with 7 to 15 digits, and under +1 (NANP) ten digits whose
// area code starts 2-9 — isPossible() checks only the length, so '(055) 123-4567' would pass it
// and then be refused by the database (leads_phone_nanp_check, private.normalize_phone).
const E164 = /^\+[1-9][0-9]{6,14}$/;
const NANP = /^\+1[2-9][0-9]{9}$/;
const MAX_INPUT_LENGTH = 40;

function countryOrUndefined(code: string): CountryCode | undefined {
  const upper = code.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

export function normalizePhone(raw: string | undefined | null, defaultCountry: string): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '' || text.length > MAX_INPUT_LENGTH || !PHONE_CHARACTERS.test(text)) return null;

  // An unknown default country still lets fully international numbers through.
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: countryOrUndefined(defaultCountry) });
  if (!parsed || !parsed.isPossible()) return null;
  const e164 = parsed.number;
  if (!E164.test(e164) || (e164.startsWith('+1') && !NANP.test(e164))) return null;
  return e164;
}
