// A clinic's practitioners and services as resolve_booking_org lists them, and what a caller's
// words map to: a spoken practitioner name → one practitioner id (or "anyone"), a spoken service
// → the catalogue's own name (which the SQL looks up by equality). Nothing is guessed: a name
// that fits two practitioners is asked back, an unknown one is answered with the list.
import { normalizeServiceType } from './booking-args.ts';
import type { CatalogueService, Practitioner } from './booking-db.ts';

/** Lowercase, no accents or punctuation, single-spaced. */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2018\u2019`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Titles are how people say a name ("Doctor Lee"), not part of who it is.
const TITLES: ReadonlySet<string> = new Set(['dr', 'doctor', 'doc', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'nurse']);

function nameWords(text: string): string[] {
  return plain(text).split(' ').filter((word) => word !== '' && !TITLES.has(word));
}

const ANYONE = /^(?:any ?(?:one|body|practitioner|doctor|provider|therapist)?|whoever(?:s| is| s)?(?: free| available)?|no(?: particular)? preference|(?:it )?(?:does ?n ?t|doesnt) matter|(?:the )?(?:first|next) (?:available|free)(?: one)?|someone|somebody|either(?: one)?|no one in particular)$/;

export type PractitionerChoice =
  | { kind: 'anyone' }
  | { kind: 'practitioner'; practitioner: Practitioner }
  | { kind: 'ambiguous'; candidates: Practitioner[] }
  | { kind: 'unknown' };

/**
 * A spoken name → one of the clinic's practitioners: the whole name (titles and punctuation
 * aside), else a first name or surname that only one practitioner has. Absent or "anyone" →
 * anyone (the SQL assigns a free one under the clinic's lock).
 */
export function choosePractitioner(spoken: string | undefined, practitioners: readonly Practitioner[]): PractitionerChoice {
  if (spoken === undefined || ANYONE.test(plain(spoken))) return { kind: 'anyone' };
  const said = nameWords(spoken);
  if (said.length === 0) return { kind: 'anyone' };
  const saidText = said.join(' ');
  const exact = practitioners.filter((p) => nameWords(p.name).join(' ') === saidText);
  if (exact.length === 1 && exact[0]) return { kind: 'practitioner', practitioner: exact[0] };
  const partial = exact.length > 1 ? exact : practitioners.filter((p) => {
    const words = nameWords(p.name);
    return said.length === 1 && (words[0] === saidText || words[words.length - 1] === saidText);
  });
  if (partial.length === 1 && partial[0]) return { kind: 'practitioner', practitioner: partial[0] };
  return partial.length > 1 ? { kind: 'ambiguous', candidates: partial } : { kind: 'unknown' };
}

/**
 * How a service is compared: normalized as a booking's service type, hyphens and underscores as
 * spaces ("follow-up" = "follow up": speech-to-text writes either), without filler words.
 */
function serviceKey(text: string): string {
  const normalized = normalizeServiceType(text) ?? text.toLowerCase().trim();
  return normalized
    .replace(/[-_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:an?|the|my)\s+/, '')
    .replace(/\s+(?:appointment|session|visit)$/, '');
}

/**
 * A spoken service (already normalized by the booking arguments) → the catalogue entry whose
 * name or alias it is. undefined when the clinic has a catalogue and this is not in it.
 */
export function findService(spoken: string, services: readonly CatalogueService[]): CatalogueService | undefined {
  const key = serviceKey(spoken);
  return services.find((s) => serviceKey(s.name) === key)
    ?? services.find((s) => s.aliases.some((alias) => serviceKey(alias) === key));
}
