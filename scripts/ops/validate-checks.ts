// The release criteria, run against a real database inside ONE transaction that is always
// rolled back: nothing the validation books survives it. Each criterion runs in a savepoint so
// an SQL error in one is reported as that criterion's failure and the others still run.
import type pg from 'pg';
import { DateTime } from 'luxon';
import { understandWhen } from '../../supabase/functions/_shared/dates.ts';
import { oneLine } from './connect.ts';
import { inSavepoint, sqlState } from './transaction.ts';
import { textTable } from '../lib/table.ts';
import { book, outcome, type BookingResult } from '../lib/fixtures/booking-call.ts';
import { localSlot } from '../lib/fixtures/local-time.ts';
import {
  VALIDATION_TIME_ZONE as TZ,
  clinicDay,
  createThrowawayOrgs,
  databaseClock,
  type DatabaseClock,
  type ThrowawayOrgs,
} from './validate-fixtures.ts';

export type CriterionKey = 'normalization' | 'date_correction' | 'atomic_conflict' | 'multi_tenant' | 'practitioner_overlap' | 'reschedule_once';

export interface CriterionResult {
  id: number;
  key: CriterionKey;
  title: string;
  ok: boolean;
  evidence: string;
}

export interface ValidationReport {
  ok: boolean;
  passed: number;
  total: number;
  /** The database's now() the checks ran at (ISO-8601). */
  clock: string | null;
  rolledBack: boolean;
  /** Throwaway organizations still visible after the rollback (must be 0). */
  leftBehind: number;
  criteria: CriterionResult[];
}

interface Context {
  client: pg.ClientBase;
  orgs: ThrowawayOrgs;
  clock: DatabaseClock;
}

interface Verdict {
  ok: boolean;
  evidence: string;
}

const DURATION = 30;
const q = (text: string | null): string => (text === null ? 'null' : `'${text.replace(/'/g, "''")}'`);
const localText = (at: Date | string): string =>
  DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone: TZ }).toFormat('yyyy-MM-dd HH:mm');

// 1. Messy contact details are stored normalized, as a new 'pending' lead.
async function normalization({ client, orgs }: Context): Promise<Verdict> {
  const input = { name: "jOHN o'brien", email: 'John@EX.com', phone: '(555) 444-3333' };
  const expected = { name: "John O'Brien", email: 'john@ex.com', phone: '+15554443333', status: 'pending' };
  const result = await book(client, orgs.a, {
    ...input, serviceType: 'checkup', scheduledAt: await localSlot(client, TZ, 3, '10:00'), durationMinutes: DURATION,
  });
  if (!result.success) return { ok: false, evidence: `booking answered ${outcome(result)}, expected success` };
  const { rows } = await client.query<{ name: string; email: string | null; phone: string; status: string }>(
    'select name, email, phone, status from public.leads where org_id = $1 and id = $2',
    [orgs.a, result.contact_id],
  );
  const lead = rows[0];
  if (!lead) return { ok: false, evidence: 'booking succeeded but no lead row was found for its contact_id' };
  const stored = `${q(lead.name)} / ${q(lead.email)} / ${q(lead.phone)}, status ${q(lead.status)}`;
  const ok = lead.name === expected.name && lead.email === expected.email && lead.phone === expected.phone && lead.status === expected.status;
  return {
    ok,
    evidence: `${q(input.name)} / ${q(input.email)} / ${q(input.phone)} (US clinic) → leads: ${stored}` +
      (ok ? '' : ` — expected ${q(expected.name)} / ${q(expected.email)} / ${q(expected.phone)}, status 'pending'`),
  };
}

type Correction = 'none' | 'stale_year' | 'past_date';

/**
 * The year rule of docs/dates.md, written out independently of dates.ts so the check cannot agree with a bug
 * in it: a year before the clinic's current year becomes the current year; a day still before
 * the clinic's today moves one year ahead.
 */
export function expectedResolution(inputDay: string, today: string): { day: string; correction: Correction } {
  const monthDay = inputDay.slice(5);
  const thisYear = Number(today.slice(0, 4));
  let year = Math.max(Number(inputDay.slice(0, 4)), thisYear);
  let correction: Correction = year > Number(inputDay.slice(0, 4)) ? 'stale_year' : 'none';
  if (`${year}-${monthDay}` < today) {
    year += 1;
    correction = 'past_date';
  }
  return { day: `${year}-${monthDay}`, correction };
}

// 2. A stale year and a past date are moved forward the way the endpoint moves them, then book.
async function dateCorrection({ client, orgs, clock }: Context): Promise<Verdict> {
  // Days a week away avoid both today's passing hours and February 29 (clinicDay skips it):
  // "a year later" of a leap day does not exist and the endpoint rightly refuses it.
  const ahead = await clinicDay(client, TZ, 7);
  const behind = await clinicDay(client, TZ, -7);
  const staleYearDay = `${Number(ahead.slice(0, 4)) - 1}${ahead.slice(4)}`;
  const cases = [
    { label: 'stale year', date: staleYearDay, time: '10:00', phone: '+15550002001' },
    { label: 'past date', date: behind, time: '11:00', phone: '+15550002002' },
  ];
  const thisYear = Number(clock.today.slice(0, 4));
  const parts: string[] = [];
  let ok = true;
  for (const c of cases) {
    // The check's clinic lists no hours here: its 24-hour clock times need none.
    const resolved = understandWhen({ date: c.date, time: c.time }, { timeZone: TZ, country: 'US', businessHours: [], horizonDays: 365 }, clock.now);
    if (resolved.kind !== 'instant') {
      ok = false;
      parts.push(`${c.label} '${c.date} ${c.time}' → ${resolved.kind === 'refuse' ? resolved.code : 'a question'}`);
      continue;
    }
    const want = expectedResolution(c.date, clock.today);
    const local = localText(resolved.start);
    const year = Number(local.slice(0, 4));
    const booked = await book(client, orgs.a, {
      name: `Date ${c.label}`, email: null, phone: c.phone, serviceType: 'checkup',
      scheduledAt: resolved.start, durationMinutes: DURATION,
    });
    const stored = booked.success
      ? (await client.query<{ at: Date }>('select scheduled_at as at from public.appointments where id = $1', [booked.appointment_id])).rows[0]?.at
      : undefined;
    const good = resolved.correction === want.correction && local === `${want.day} ${c.time}`
      && resolved.start > clock.now && (year === thisYear || year === thisYear + 1)
      && stored !== undefined && stored.getTime() === resolved.start.getTime();
    ok &&= good;
    parts.push(`${c.label} '${c.date} ${c.time}' → ${local} (${resolved.correction}), booking ${outcome(booked)}` +
      (good ? '' : ` — expected ${want.day} ${c.time} (${want.correction}), in the future, booked`));
  }
  return { ok, evidence: `${parts.join('; ')}; clinic today ${clock.today} ${TZ}` };
}

// 3. The second booking of a held slot is refused, one row stays, and the exclusion constraint
//    refuses a writer that bypasses the function.
async function atomicConflict({ client, orgs }: Context): Promise<Verdict> {
  const slot = await localSlot(client, TZ, 5, '14:00');
  const request = { email: null, serviceType: 'checkup', scheduledAt: slot, durationMinutes: DURATION };
  const first = await book(client, orgs.a, { ...request, name: 'Ann First', phone: '+15550003001' });
  const second = await book(client, orgs.a, { ...request, name: 'Bob Second', phone: '+15550003002' });
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from public.appointments
     where org_id = $1 and is_active and tstzrange(scheduled_at, ends_at, '[)') && tstzrange($2::timestamptz, $2::timestamptz + interval '30 minutes', '[)')`,
    [orgs.a, slot],
  );
  const rowCount = rows[0]?.n ?? -1;
  let backstop = 'not tried (first booking failed)';
  let backstopOk = false;
  if (first.success) {
    try {
      await inSavepoint(client, () => client.query(
        `insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
         values ($1, $2, 'checkup', $3::timestamptz + interval '15 minutes', $3::timestamptz + interval '45 minutes', 30)`,
        [orgs.a, first.contact_id, slot],
      ));
      backstop = 'direct overlapping insert was ACCEPTED';
    } catch (error) {
      backstopOk = sqlState(error) === '23P01';
      backstop = backstopOk ? 'direct overlapping insert → 23P01 (appointments_no_overlap)' : `direct insert → ${oneLine(error)}`;
    }
  }
  const alternatives = !second.success && second.alternatives ? `, ${second.alternatives.length} alternatives offered` : '';
  const ok = first.success && !second.success && second.error === 'SLOT_UNAVAILABLE' && rowCount === 1 && backstopOk;
  return {
    ok,
    evidence: `1st booking ${outcome(first)}, 2nd booking of ${localText(slot)} → ${outcome(second)}${alternatives}; ` +
      `${rowCount} active row(s) for the slot; ${backstop}`,
  };
}

// 4. Another clinic books the very same slot (even for the same caller): tenants do not collide.
async function multiTenant({ client, orgs }: Context): Promise<Verdict> {
  const slot = await localSlot(client, TZ, 6, '15:00');
  const request = { name: 'Carol Both', email: null, phone: '+15550004001', serviceType: 'checkup', scheduledAt: slot, durationMinutes: DURATION };
  const inA = await book(client, orgs.a, request);
  const inB = await book(client, orgs.b, request);
  const { rows } = await client.query<{ org_id: string; n: number; leads: number }>(
    `select o.id as org_id,
            (select count(*)::int from public.appointments a where a.org_id = o.id and a.is_active and a.scheduled_at = $2) as n,
            (select count(*)::int from public.leads l where l.org_id = o.id and l.phone = $3) as leads
     from unnest($1::uuid[]) as o(id)`,
    [[orgs.a, orgs.b], slot, request.phone],
  );
  const perOrg = rows.map((r) => r.n);
  const distinctContacts = inA.success && inB.success && inA.contact_id !== inB.contact_id;
  const ok = inA.success && inB.success && perOrg.length === 2 && perOrg.every((n) => n === 1)
    && rows.every((r) => r.leads === 1) && distinctContacts;
  return {
    ok,
    evidence: `clinic A ${outcome(inA)}, clinic B ${outcome(inB)} for ${localText(slot)}; ` +
      `active rows per clinic ${perOrg.join(' / ')}; ${distinctContacts ? 'a separate lead in each clinic' : 'leads NOT separate'}`,
  };
}

// Tries a write that must be refused; returns its SQLSTATE, or 'ACCEPTED'.
async function refusedWrite(client: pg.ClientBase, sql: string, params: unknown[]): Promise<string> {
  try {
    await inSavepoint(client, () => client.query(sql, params));
    return 'ACCEPTED';
  } catch (error) {
    const state = sqlState(error);
    if (state === undefined) throw error;
    return state;
  }
}

const reply = (r: { success?: boolean; error?: string }): string => (r.success ? 'success' : r.error ?? 'no reply');

// 5. Practitioners: two of one clinic both take 11:00; one of them cannot hold a second,
//    overlapping appointment — through the function (SLOT_UNAVAILABLE) nor written directly (23P01).
async function practitionerOverlap({ client, orgs }: Context): Promise<Verdict> {
  const { rows: staff } = await client.query<{ id: string }>(
    `insert into public.practitioners (org_id, name, kind)
     select $1, n, 'person' from unnest(array['Validation Lee', 'Validation Kim']) with ordinality as p(n, i) order by i
     returning id`, [orgs.b]);
  const [lee, kim] = staff.map((r) => r.id);
  if (!lee || !kim) return { ok: false, evidence: 'the two practitioners were not created' };
  const at = await localSlot(client, TZ, 8, '11:00');
  const bookWith = async (practitioner: string, name: string, phone: string, start: Date) => (await client.query<{ r: BookingResult & { practitioner_id?: string } }>(
    `select public.book_appointment_atomic(p_org_id => $1, p_name => $2, p_email => null, p_phone => $3, p_service_type => 'checkup',
       p_scheduled_at => $4, p_duration_minutes => ${DURATION}, p_practitioner_id => $5) as r`, [orgs.b, name, phone, start, practitioner])).rows[0]?.r;
  const first = await bookWith(lee, 'Pat One', '+15550005001', at);
  const second = await bookWith(kim, 'Pat Two', '+15550005002', at);
  const overlapping = await bookWith(lee, 'Pat Three', '+15550005003', new Date(at.getTime() + 15 * 60_000));
  const { rows } = await client.query<{ n: number; practitioners: number }>(
    `select count(*)::int as n, count(distinct practitioner_id)::int as practitioners from public.appointments
     where org_id = $1 and is_active and scheduled_at = $2`, [orgs.b, at]);
  const counted = rows[0] ?? { n: -1, practitioners: -1 };
  const direct = !first?.success ? 'not tried' : await refusedWrite(client,
    `insert into public.appointments (org_id, lead_id, practitioner_id, service_type, scheduled_at, ends_at, duration_minutes)
     values ($1, $2, $3, 'checkup', $4::timestamptz + interval '15 minutes', $4::timestamptz + interval '45 minutes', 30)`,
    [orgs.b, first.contact_id, lee, at]);
  const ok = first?.success === true && second?.success === true && first.practitioner_id === lee && second.practitioner_id === kim
    && overlapping?.success === false && overlapping.error === 'SLOT_UNAVAILABLE' && counted.n === 2 && counted.practitioners === 2 && direct === '23P01';
  return {
    ok,
    evidence: `${localText(at)}: practitioner 1 ${first ? reply(first) : 'no reply'}, practitioner 2 ${second ? reply(second) : 'no reply'} ` +
      `(${counted.n} active rows on ${counted.practitioners} practitioners); practitioner 1 again at ${localText(new Date(at.getTime() + 15 * 60_000))} → ` +
      `${overlapping ? reply(overlapping) : 'no reply'}; direct overlapping insert on practitioner 1 → ${direct === '23P01' ? '23P01 (appointments_no_overlap)' : direct}`,
  };
}

// 6. A moved appointment cannot be moved again: the second move of the same appointment is
//    refused, and a direct second successor breaks the unique (org_id, rescheduled_from).
async function rescheduleOnce({ client, orgs }: Context): Promise<Verdict> {
  const phone = '+15550006001';
  const original = await book(client, orgs.a, {
    name: 'Mo Mover', email: null, phone, serviceType: 'checkup', scheduledAt: await localSlot(client, TZ, 9, '10:00'), durationMinutes: DURATION,
  });
  if (!original.success) return { ok: false, evidence: `booking answered ${outcome(original)}, expected success` };
  const move = async (time: string) => (await client.query<{ r: { success: boolean; error?: string; appointment_id?: string } }>(
    `select public.reschedule_appointment(p_org_id => $1, p_phone => $2, p_new_start => $3, p_appointment_id => $4) as r`,
    [orgs.a, phone, await localSlot(client, TZ, 9, time), original.appointment_id])).rows[0]?.r ?? { success: false, error: 'no reply' };
  const first = await move('12:00');
  const again = await move('14:00');
  const { rows } = await client.query<{ active: number; statuses: string }>(
    `select count(*) filter (where is_active)::int as active, string_agg(status, ',' order by created_at, status) as statuses
     from public.appointments where org_id = $1 and (id = $2 or rescheduled_from = $2)`, [orgs.a, original.appointment_id]);
  const chain = rows[0] ?? { active: -1, statuses: '' };
  const direct = await refusedWrite(client,
    `insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, rescheduled_from)
     select org_id, lead_id, service_type, scheduled_at + interval '6 hours', ends_at + interval '6 hours', duration_minutes, id
     from public.appointments where org_id = $1 and id = $2`, [orgs.a, original.appointment_id]);
  const ok = first.success && !again.success && again.error === 'APPOINTMENT_INACTIVE' && chain.active === 1 && direct === '23505';
  return {
    ok,
    evidence: `booked, 1st move → ${reply(first)}, 2nd move of the same appointment → ${reply(again)}; ` +
      `${chain.active} active in the chain (${chain.statuses}); direct 2nd successor → ${direct === '23505' ? '23505 (appointments_rescheduled_from_key)' : direct}`,
  };
}

const CRITERIA: ReadonlyArray<{ key: CriterionKey; title: string; run: (ctx: Context) => Promise<Verdict> }> = [
  { key: 'normalization', title: 'data normalization', run: normalization },
  { key: 'date_correction', title: 'date correction', run: dateCorrection },
  { key: 'atomic_conflict', title: 'atomic conflict', run: atomicConflict },
  { key: 'multi_tenant', title: 'multi-tenant', run: multiTenant },
  { key: 'practitioner_overlap', title: 'no overlap per practitioner', run: practitionerOverlap },
  { key: 'reschedule_once', title: 'one active per reschedule chain', run: rescheduleOnce },
];


export async function runValidation(client: pg.ClientBase): Promise<ValidationReport> {
  const results: CriterionResult[] = [];
  let clock: DatabaseClock | null = null;
  let orgIds: string[] = [];
  let rolledBack = false;
  await client.query('begin');
  try {
    // Bounded so a validation stuck behind production locks gives up instead of holding them.
    await client.query(`set local statement_timeout = '30s'`);
    await client.query(`set local lock_timeout = '10s'`);
    let setupError: string | null = null;
    let orgs: ThrowawayOrgs | null = null;
    try {
      clock = await databaseClock(client, TZ);
      orgs = await inSavepoint(client, () => createThrowawayOrgs(client));
      orgIds = [orgs.a, orgs.b];
    } catch (error) {
      setupError = `setup failed: ${oneLine(error)}`;
    }
    for (const [index, criterion] of CRITERIA.entries()) {
      let verdict: Verdict;
      if (setupError !== null || orgs === null || clock === null) {
        verdict = { ok: false, evidence: setupError ?? 'setup failed' };
      } else {
        const ctx: Context = { client, orgs, clock };
        verdict = await inSavepoint(client, () => criterion.run(ctx)).catch((error: unknown) => ({
          ok: false,
          evidence: `error: ${oneLine(error)}`,
        }));
      }
      results.push({ id: index + 1, key: criterion.key, title: criterion.title, ...verdict });
    }
  } finally {
    await client.query('rollback');
    rolledBack = true;
  }
  const leftBehind = orgIds.length === 0 ? 0 : (await client.query<{ n: number }>(
    'select count(*)::int as n from public.organizations where id = any($1::uuid[])', [orgIds],
  )).rows[0]?.n ?? 0;
  const passed = results.filter((r) => r.ok).length;
  return {
    ok: passed === results.length && leftBehind === 0,
    passed,
    total: results.length,
    clock: clock ? clock.now.toISOString() : null,
    rolledBack,
    leftBehind,
    criteria: results,
  };
}

export function formatValidation(report: ValidationReport, target: string): string {
  const lines = [
    `validate ${target} at ${report.clock ?? 'unknown time'} (one transaction, rolled back)`,
    textTable(null, report.criteria.map((c) => [c.ok ? 'PASS' : 'FAIL', String(c.id), c.title, c.evidence])),
  ];
  if (report.leftBehind > 0) lines.push(`FAIL  ${report.leftBehind} throwaway organization(s) still present after the rollback`);
  lines.push(`${report.passed}/${report.total} passed`);
  return lines.join('\n');
}
