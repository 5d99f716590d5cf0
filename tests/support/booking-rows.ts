// What a clinic's booking tables hold, and the rules every stored lead must satisfy.
import type pg from 'pg';

type Db = pg.Pool | pg.Client | pg.PoolClient;

export interface RowCounts { leads: number; appointments: number }

/** Leads and appointments of some orgs, or of every org when orgIds is omitted. */
export async function rowCounts(db: Db, orgIds?: readonly string[]): Promise<RowCounts> {
  const { rows } = await db.query<RowCounts>(
    `select (select count(*)::int from public.leads where $1::uuid[] is null or org_id = any($1)) as leads,
            (select count(*)::int from public.appointments where $1::uuid[] is null or org_id = any($1)) as appointments`,
    [orgIds ?? null],
  );
  const counts = rows[0];
  if (!counts) throw new Error('no counts');
  return counts;
}

/** Leads no appointment points at: what a half-written booking would leave behind. */
export async function leadsWithoutAppointment(db: Db, orgIds: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from public.leads l
     where l.org_id = any($1)
       and not exists (select 1 from public.appointments a where a.org_id = l.org_id and a.lead_id = l.id)`,
    [orgIds],
  );
  return rows[0]?.n ?? 0;
}

/** Pairs of active appointments of one org that overlap (must always be zero). */
export async function overlappingAppointments(db: Db, orgIds: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from public.appointments a
     join public.appointments b on b.org_id = a.org_id and b.id > a.id and b.is_active
       and tstzrange(a.scheduled_at, a.ends_at, '[)') && tstzrange(b.scheduled_at, b.ends_at, '[)')
     where a.is_active and a.org_id = any($1)`,
    [orgIds],
  );
  return rows[0]?.n ?? 0;
}

export interface LeadRow { id: string; name: string; email: string | null; phone: string; status: string }

/**
 * The normalization rules of a lead written by a booking (DESIGN.md "leads"): E.164 phone;
 * name trimmed, single-spaced, without control characters, NFC, Title Case as Postgres
 * initcap() writes it, 1–100 characters with a letter; email absent or trimmed lowercase
 * with one @ and a dot after it; status 'pending'.
 */
export const BADLY_NORMALIZED_LEADS_SQL = `
select l.id, l.name, l.email, l.phone, l.status
from public.leads l
where l.org_id = any($1)
  and not coalesce(
        l.phone ~ '^\\+[1-9][0-9]{6,14}$'
    and l.name = btrim(l.name)
    and l.name !~ '\\s\\s'
    and l.name !~ '[[:cntrl:]]'
    and l.name is nfc normalized
    and l.name = initcap(l.name)
    and char_length(l.name) between 1 and 100
    and l.name ~ '[[:alpha:]]'
    and (l.email is null or (
          l.email = lower(btrim(l.email))
      and l.email ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'
      and char_length(l.email) <= 254))
    and l.status = 'pending',
    false)`;

export async function badlyNormalizedLeads(db: Db, orgIds: readonly string[]): Promise<LeadRow[]> {
  const { rows } = await db.query<LeadRow>(BADLY_NORMALIZED_LEADS_SQL, [orgIds]);
  return rows;
}
