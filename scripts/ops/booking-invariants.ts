// What must always hold in the booking tables, as SQL fragments: the post-deploy audit and the
// test suites check the same rules, written once here.

/** Pairs (a.id < b.id) of active appointments of one org whose [start, end) ranges overlap. */
export const OVERLAPPING_ACTIVE_PAIRS_SQL = `
from public.appointments a
join public.appointments b
  on b.org_id = a.org_id and a.id < b.id
 and tstzrange(a.scheduled_at, a.ends_at, '[)') && tstzrange(b.scheduled_at, b.ends_at, '[)')
where a.is_active and b.is_active`;

/**
 * The rules book_appointment_atomic writes a lead by (alias `l`), each a boolean, in the
 * database's own helpers (migration 20261202100400_contact_rules, mirroring the endpoint's
 * contact.ts / phone.ts): the name is its own normalization (no control or invisible format
 * characters, single-spaced, trimmed, 1–100 characters with a letter, initcap); email absent
 * or trimmed lowercase and accepted by the endpoint's rule; E.164 phone, NANP-shaped under +1.
 */
export const LEAD_RULES_SQL = {
  name: `(l.name is not null and l.name = private.normalize_name(l.name)) is true`,
  email: `(l.email is null or (l.email = lower(btrim(l.email)) and private.is_valid_email(l.email))) is true`,
  phone: `(l.phone ~ '^\\+[1-9][0-9]{6,14}$' and (l.phone !~ '^\\+1' or l.phone ~ '^\\+1[2-9][0-9]{9}$')) is true`,
} as const;
