// Clinics, slots and phone numbers for load: every generated booking is valid and distinct, so
// every call is expected to succeed and any failure is a finding.
import { createClinics } from '../lib/fixtures/clinics.ts';
import type { Queryable } from '../lib/fixtures/queryable.ts';

export interface LoadOrg {
  index: number;
  id: string;
  /** Vapi routes this assistant id to the org (kind 'assistant'). */
  assistantId: string;
  timeZone: string;
}

/**
 * `count` clinics open 00:00–23:59 every day, 15-minute default appointments, each with a Vapi
 * assistant route `<prefix>-assistant-<i>`. Time zones are taken round-robin from `timeZones`;
 * use zones without DST and with whole- or half-hour offsets, so a half-hour grid in UTC is a
 * half-hour grid in local time too and a 15-minute slot never crosses local midnight.
 */
export async function createOpenOrgs(db: Queryable, count: number, prefix: string, timeZones: readonly string[] = ['UTC']): Promise<LoadOrg[]> {
  const assistantOf = (n: number): string => `${prefix}-assistant-${n}`;
  const specs = Array.from({ length: count }, (_, i) => ({
    name: `${prefix} clinic ${i + 1}`,
    timeZone: timeZones[i % timeZones.length] ?? 'UTC',
    defaultDurationMinutes: 15,
    opens: '00:00',
    closes: '23:59',
    routes: { assistantId: assistantOf(i + 1) },
  }));
  const clinics = await createClinics(db, specs);
  return clinics.map((c, i) => ({ index: i + 1, id: c.orgId, assistantId: assistantOf(i + 1), timeZone: c.timeZone }));
}

/** Midnight UTC `daysAhead` days from now: the first slot of every allocator. */
export function slotBase(daysAhead = 2): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysAhead));
}

/** Distinct, non-overlapping slots per org: org slot k = base + k × step (durations ≤ step). */
export class SlotAllocator {
  private readonly taken = new Map<string, number>();

  constructor(readonly base: Date = slotBase(), readonly stepMinutes = 30) {}

  take(orgId: string): Date {
    const k = this.taken.get(orgId) ?? 0;
    this.taken.set(orgId, k + 1);
    return new Date(this.base.getTime() + k * this.stepMinutes * 60_000);
  }
}

/** Distinct E.164 numbers in the fictional +1 555 range (possible, so the function accepts them). */
export class PhoneAllocator {
  private n = 0;

  constructor(private readonly block = 0) {}

  take(): string {
    this.n += 1;
    return `+1555${String(this.block * 1_000_000 + this.n).padStart(7, '0')}`;
  }
}

/** One lead per org, for the bare-insert floor (appointments need a lead of their org). */
export async function createFloorLeads(db: Queryable, orgs: readonly LoadOrg[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ org_id: string; id: string }>(
    `insert into public.leads (org_id, name, phone)
     select o, 'Floor Lead', '+15559990000' from pg_catalog.unnest($1::uuid[]) as o
     returning org_id, id`,
    [orgs.map((o) => o.id)],
  );
  return new Map(rows.map((r) => [r.org_id, r.id]));
}

/**
 * A full calendar: 15-minute appointments at :00 and :30 for `days` days from `from`, inserted
 * directly (one lead). The :15 and :45 starts stay free.
 */
export async function fillCalendar(db: Queryable, orgId: string, from: Date, days: number): Promise<number> {
  const { rowCount } = await db.query(
    `with l as (
       insert into public.leads (org_id, name, phone) values ($1, 'Regular Patient', '+15558880000') returning id
     )
     insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
     select $1, l.id, 'checkup', $2::timestamptz + k * interval '30 minutes', $2::timestamptz + k * interval '30 minutes' + interval '15 minutes', 15
     from l cross join pg_catalog.generate_series(0, $3::int * 48 - 1) as k`,
    [orgId, from, days],
  );
  return rowCount ?? 0;
}
