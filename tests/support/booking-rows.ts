// What a clinic's booking tables hold, and the rules every stored lead must satisfy.
import type pg from 'pg';
import { LEAD_RULES_SQL, OVERLAPPING_ACTIVE_PAIRS_SQL } from '../../scripts/ops/booking-invariants.ts';

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
    `select count(*)::int as n ${OVERLAPPING_ACTIVE_PAIRS_SQL} and a.org_id = any($1)`,
    [orgIds],
  );
  return rows[0]?.n ?? 0;
}

export interface LeadRow { id: string; name: string; email: string | null; phone: string; status: string }

/**
 * A lead just written by a booking: the audit's rules (booking-invariants.ts), plus what only
 * the endpoint guarantees (NFC text) and the status of a new lead ('pending').
 */
const BADLY_NORMALIZED_LEADS_SQL = `
select l.id, l.name, l.email, l.phone, l.status
from public.leads l
where l.org_id = any($1)
  and not coalesce(
        ${LEAD_RULES_SQL.name}
    and ${LEAD_RULES_SQL.email}
    and ${LEAD_RULES_SQL.phone}
    and l.name is nfc normalized
    and l.status = 'pending',
    false)`;

export async function badlyNormalizedLeads(db: Db, orgIds: readonly string[]): Promise<LeadRow[]> {
  const { rows } = await db.query<LeadRow>(BADLY_NORMALIZED_LEADS_SQL, [orgIds]);
  return rows;
}
