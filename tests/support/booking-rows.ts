// What a clinic's booking tables hold, and the rules every stored lead must satisfy.
import pg from 'pg';
import { runHealthCheck, type AuditKey } from '../../scripts/ops/audit-checks.ts';

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

/** The audit's own check (supabase/checks), scoped to these clinics; its count. */
async function healthCheckCount(db: Db, key: AuditKey, orgIds: readonly string[]): Promise<number> {
  if (db instanceof pg.Pool) {
    const client = await db.connect();
    try {
      return (await runHealthCheck(client, key, orgIds)).count;
    } finally {
      client.release();
    }
  }
  return (await runHealthCheck(db, key, orgIds)).count;
}

/** Pairs of active appointments of one org that overlap (must always be zero). */
export async function overlappingAppointments(db: Db, orgIds: readonly string[]): Promise<number> {
  return healthCheckCount(db, 'no_overlapping_appointments', orgIds);
}

export interface LeadRow { id: string; name: string; email: string | null; phone: string; status: string }

/**
 * Leads just written by bookings: how many break the audit's rules (supabase/checks), and the
 * ones that miss what only the endpoint guarantees (NFC text) or a new lead's status.
 */
export async function badlyNormalizedLeads(db: Db, orgIds: readonly string[]): Promise<{ auditRuleBreaks: number; rows: LeadRow[] }> {
  const auditRuleBreaks = await healthCheckCount(db, 'leads_normalized', orgIds);
  const { rows } = await db.query<LeadRow>(
    `select l.id, l.name, l.email, l.phone, l.status
     from public.leads l
     where l.org_id = any($1) and not coalesce(l.name is nfc normalized and l.status = 'pending', false)`,
    [orgIds],
  );
  return { auditRuleBreaks, rows };
}
