// The growth step of the bench (`npm run bench -- --scale`): the receptionist's paths — an
// "anyone" booking, a refused booking (its alternatives), find_appointments — on one clinic with
// three practitioners and a catalogue, first in an empty database, then after the database was
// filled with 1,000 clinics, ~10,000 practitioners and 1,000,000 appointments by set-based SQL.
// The same run measures the floor every booking must write: the lead upsert and the appointment
// insert in one statement, with no lock and no checks.
import type pg from 'pg';
import { runClosedLoop } from './loop.ts';
import { elapsedMs, summarize, type LatencySummary } from './stats.ts';

export const SCALE = { clinics: 1000, practitionersPerClinic: 10, appointments: 1_000_000, leadsPerClinic: 100 } as const;
const TARGET_APPOINTMENTS = SCALE.appointments / SCALE.clinics;
const MINUTES = 30;

export interface ScaleSizes { bookings: number; refused: number; finds: number }

export interface PhaseFigures {
  booking: LatencySummary;
  floor: LatencySummary;
  alternatives: LatencySummary;
  find: LatencySummary;
  failures: string[];
}

export interface ScaleResults {
  empty: PhaseFigures;
  loaded: PhaseFigures;
  buildSeconds: number;
  rows: { clinics: number; practitioners: number; appointments: number; leads: number };
}

/** The measured clinic: Riverside's shape (3 practitioners, a 30-minute service), open all day, no notice. */
async function createTargetClinic(db: pg.ClientBase): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `with o as (
       insert into public.organizations (name, timezone, default_country, default_duration_minutes)
       values ('Scale target', 'UTC', 'US', ${MINUTES}) returning id
     ), h as (
       insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at)
       select o.id, d::smallint, time '00:00', time '23:59' from o cross join generate_series(1, 7) as d
     ), p as (
       insert into public.practitioners (org_id, name, kind)
       select o.id, 'Practitioner ' || i, 'person' from o cross join generate_series(1, 3) as i
     ), s as (
       insert into public.services (org_id, name, aliases, duration_minutes, buffer_before_minutes, buffer_after_minutes)
       select o.id, 'follow-up', '{review}', ${MINUTES}, 0, 0 from o
     )
     select id from o`,
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('the target clinic was not created');
  return id;
}

/**
 * The load, set-based: 999 more clinics with 10 practitioners and 100 leads each, 1,000
 * appointments per clinic (100 per practitioner, 30 minutes, on odd days from `base` − 40 days,
 * a quarter cancelled), and the target's own 1,000 on its three practitioners, on the odd days
 * between the days the measurements book. Returns the build time.
 */
async function buildLoad(db: pg.ClientBase, targetId: string, base: Date): Promise<number> {
  const t0 = process.hrtime.bigint();
  await db.query('begin');
  await db.query(
    `insert into public.organizations (name, timezone, default_country, default_duration_minutes)
     select 'Scale clinic ' || g, 'UTC', 'US', 30 from generate_series(2, ${SCALE.clinics}) as g`);
  await db.query(
    `insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at)
     select o.id, d::smallint, time '00:00', time '23:59'
     from public.organizations o cross join generate_series(1, 7) as d where o.name like 'Scale clinic %'`);
  await db.query(
    `insert into public.practitioners (org_id, name, kind)
     select o.id, 'Practitioner ' || i, 'person'
     from public.organizations o cross join generate_series(1, ${SCALE.practitionersPerClinic}) as i where o.name like 'Scale clinic %'`);
  await db.query(
    `insert into public.leads (org_id, name, phone)
     select o.id, 'Patient ' || i, '+1555' || lpad(i::text, 7, '0')
     from public.organizations o cross join generate_series(1, ${SCALE.leadsPerClinic}) as i
     where o.name like 'Scale clinic %' or o.id = $1
     on conflict (org_id, phone) do nothing`, [targetId]);
  // Slot n of a calendar: odd day 2·(n / 48) + 1 from the window start, half-hour n mod 48.
  await db.query(
    `insert into public.appointments (org_id, lead_id, practitioner_id, service_type, scheduled_at, ends_at, duration_minutes, status)
     select p.org_id, l.id, p.id, 'follow-up', at, at + interval '${MINUTES} minutes', ${MINUTES},
            case when n % 4 = 3 then 'cancelled' else 'booked' end
     from (select p.*, row_number() over (partition by p.org_id order by p.name) as rn
           from public.practitioners p join public.organizations o on o.id = p.org_id where o.name like 'Scale clinic %') p
     cross join generate_series(0, ${TARGET_APPOINTMENTS / SCALE.practitionersPerClinic - 1}) as n
     cross join lateral (select $1::timestamptz - interval '40 days' + (2 * (n / 48) + 1) * interval '1 day' + (n % 48) * interval '30 minutes' as at) t
     join public.leads l on l.org_id = p.org_id and l.phone = '+1555' || lpad((1 + (n * 10 + p.rn) % ${SCALE.leadsPerClinic})::text, 7, '0')`,
    [base]);
  await db.query(
    `insert into public.appointments (org_id, lead_id, practitioner_id, service_type, scheduled_at, ends_at, duration_minutes, status)
     select p.org_id, l.id, p.id, 'follow-up', at, at + interval '${MINUTES} minutes', ${MINUTES}, 'booked'
     from (select p.*, row_number() over (order by p.name) - 1 as k from public.practitioners p where p.org_id = $1) p
     cross join generate_series(0, ${Math.ceil(TARGET_APPOINTMENTS / 3) - 1}) as n
     cross join lateral (select $2::timestamptz + (2 * (n / 48) + 1) * interval '1 day' + (n % 48) * interval '30 minutes' as at) t
     join public.leads l on l.org_id = p.org_id and l.phone = '+1555' || lpad((1 + (n * 3 + p.k) % ${SCALE.leadsPerClinic})::text, 7, '0')
     where n * 3 + p.k < ${TARGET_APPOINTMENTS}`,
    [targetId, base]);
  await db.query('commit');
  await db.query('vacuum analyze');
  return elapsedMs(t0) / 1000;
}

/**
 * Booking j of a phase: the even day 2·(j / 46) from `base`, half-hour j mod 46 (00:00–22:30:
 * the clinic closes at 23:59, so a 23:30 start would end outside its hours), "anyone".
 */
const slotOf = (base: Date, j: number): Date =>
  new Date(base.getTime() + (2 * Math.floor(j / 46)) * 86_400_000 + (j % 46) * 1_800_000);

const BOOK = 'select public.book_appointment_atomic($1, $2, null, $3, $4, $5, null, $6) as r';
const FIND = 'select public.find_appointments($1, $2) as r';
// What any booking must write, nothing more: the caller's lead (created when new, never
// rewritten) and the appointment, in one statement (one transaction), no lock, no checks.
const FLOOR = `with new_lead as (
    insert into public.leads (org_id, name, phone) values ($1, $2, $3) on conflict (org_id, phone) do nothing returning id
  ), lead as (
    select id from new_lead union all select id from public.leads where org_id = $1 and phone = $3 limit 1
  )
  insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, idempotency_key)
  select $1, lead.id, 'follow-up', $4, $4::timestamptz + interval '${MINUTES} minutes', ${MINUTES}, $5 from lead`;

async function timed(db: pg.ClientBase, jobs: number, call: (j: number) => Promise<string | null>): Promise<{ latency: LatencySummary; failures: string[] }> {
  const loop = await runClosedLoop([db], Array.from({ length: jobs }, (_, j) => j), (_db, j) => call(j));
  return { latency: summarize(loop.latencies), failures: loop.failureSamples };
}

/**
 * One phase on the target clinic: `sizes.bookings` "anyone" bookings on fresh slots from `base`
 * (each phone books 3), the floor on another clinic-free window (+200 days), refused bookings of
 * slots all three practitioners hold (each answers with alternatives), find for phones with 3
 * upcoming appointments.
 */
async function measurePhase(db: pg.ClientBase, orgId: string, base: Date, phase: string, sizes: ScaleSizes): Promise<PhaseFigures> {
  const phone = (j: number): string => `+1556${phase === 'empty' ? '0' : '1'}${String(Math.floor(j / 3)).padStart(6, '0')}`;
  const reply = async (text: string, values: unknown[]): Promise<{ success?: boolean; error?: string }> =>
    (await db.query<{ r: { success?: boolean; error?: string } }>({ name: text.slice(0, 40) + text.length, text, values })).rows[0]?.r ?? {};
  const book = async (j: number, at: Date): Promise<{ success?: boolean; error?: string }> =>
    reply(BOOK, [orgId, 'Scale Caller', phone(j), 'follow-up', at, `scale:${phase}:${j}:${at.toISOString()}`]);
  // Warm the plans, then measure.
  for (let j = 0; j < 20; j += 1) await book(1_000_000 + j, slotOf(new Date(base.getTime() + 300 * 86_400_000), j));
  const booking = await timed(db, sizes.bookings, async (j) => {
    const r = await book(j, slotOf(base, j));
    return r.success === true ? null : `booking ${r.error ?? 'no reply'}`;
  });
  const floorBase = new Date(base.getTime() + 200 * 86_400_000);
  const floor = await timed(db, sizes.bookings, async (j) => {
    await db.query({ name: 'scale-floor', text: FLOOR, values: [orgId, 'Scale Caller', phone(j), slotOf(floorBase, j), `floor:${phase}:${j}`] });
    return null;
  });
  // Fill the first refused slots on all three practitioners, then ask for them again.
  const refusedSlots = Math.ceil(sizes.refused / 10);
  for (let s = 0; s < refusedSlots; s += 1) for (let k = 1; k <= 2; k += 1) await book(3 * (500_000 + s * 3 + k), slotOf(base, s)); // a phone of its own each (one caller cannot hold two)
  const alternatives = await timed(db, sizes.refused, async (j) => {
    const r = await book(700_000 + j, slotOf(base, j % refusedSlots));
    return r.success === false && r.error === 'SLOT_UNAVAILABLE' ? null : `refusal ${r.error ?? 'was a success'}`;
  });
  const find = await timed(db, sizes.finds, async (j) => {
    const r = await reply(FIND, [orgId, phone(3 * (j % Math.floor(sizes.bookings / 3)))]);
    return r.success === true ? null : `find ${r.error ?? 'no reply'}`;
  });
  return {
    booking: booking.latency, floor: floor.latency, alternatives: alternatives.latency, find: find.latency,
    failures: [...booking.failures, ...floor.failures, ...alternatives.failures, ...find.failures].slice(0, 5),
  };
}

export async function measureScale(db: pg.ClientBase, sizes: ScaleSizes, say: (text: string) => void): Promise<ScaleResults> {
  const now = new Date();
  // Whole UTC days, a week out: every measured start is in the future and on the half-hour grid.
  const base = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 7));
  const orgId = await createTargetClinic(db);
  say('scale: measuring on the empty database');
  const empty = await measurePhase(db, orgId, base, 'empty', sizes);
  say(`scale: building ${SCALE.clinics} clinics, ${SCALE.clinics * SCALE.practitionersPerClinic} practitioners, ${SCALE.appointments} appointments (set-based SQL)`);
  const loadBase = new Date(base.getTime() + 60 * 86_400_000);
  const buildSeconds = await buildLoad(db, orgId, loadBase);
  say(`scale: built in ${buildSeconds.toFixed(0)} s; measuring on the loaded database`);
  const loaded = await measurePhase(db, orgId, loadBase, 'loaded', sizes);
  const { rows } = await db.query<ScaleResults['rows']>(
    `select (select count(*)::int from public.organizations) as clinics, (select count(*)::int from public.practitioners) as practitioners,
            (select count(*)::int from public.appointments) as appointments, (select count(*)::int from public.leads) as leads`);
  const counts = rows[0];
  if (!counts) throw new Error('no counts');
  return { empty, loaded, buildSeconds, rows: counts };
}
