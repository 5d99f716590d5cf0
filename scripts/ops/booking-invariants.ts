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
 * The rules book_appointment_atomic writes a lead by (alias `l`), each a boolean: name as its
 * initcap of the trimmed, single-spaced text, 1–100 characters with a letter and no control
 * characters; email absent or trimmed lowercase with an @ and a dot after it; E.164 phone.
 */
export const LEAD_RULES_SQL = {
  name: `(l.name is not null and char_length(l.name) between 1 and 100
    and l.name = initcap(regexp_replace(btrim(l.name), '[[:space:]]+', ' ', 'g'))
    and l.name ~ '[[:alpha:]]' and l.name !~ '[[:cntrl:]]') is true`,
  email: `(l.email is null or (l.email = lower(btrim(l.email)) and char_length(l.email) <= 254
    and l.email ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$')) is true`,
  phone: `(l.phone ~ '^\\+[1-9][0-9]{6,14}$') is true`,
} as const;
