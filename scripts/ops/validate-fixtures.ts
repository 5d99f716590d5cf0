// What the release validation books against: two throwaway clinics created inside the
// validation's transaction (so they vanish with its rollback), slots in their local time, and
// the booking function called the classic positional way.
import type pg from 'pg';

export const VALIDATION_TIME_ZONE = 'America/New_York';

export interface ThrowawayOrgs {
  a: string;
  b: string;
}

/** Two US clinics, open 08:00–18:00 local every day, so any day the checks pick is bookable. */
export async function createThrowawayOrgs(client: pg.ClientBase): Promise<ThrowawayOrgs> {
  const { rows } = await client.query<{ id: string }>(
    `with o as (
       insert into public.organizations (name, timezone, default_country, default_duration_minutes)
       select 'Release validation ' || label || ' (rolled back)', $1, 'US', 30
       from unnest(array['A', 'B']) with ordinality as l(label, n)
       order by l.n
       returning id, name
     ), h as (
       insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at)
       select o.id, d::smallint, time '08:00', time '18:00' from o cross join generate_series(1, 7) as g(d)
     )
     select id from o order by name`,
    [VALIDATION_TIME_ZONE],
  );
  const [a, b] = rows;
  if (!a || !b) throw new Error('the throwaway organizations were not created');
  return { a: a.id, b: b.id };
}

export interface DatabaseClock {
  /** The database's now(): the booking function's clock, fixed for the whole transaction. */
  now: Date;
  /** The clinic's calendar day at that instant, YYYY-MM-DD. */
  today: string;
}

export async function databaseClock(client: pg.ClientBase, timeZone: string): Promise<DatabaseClock> {
  const { rows } = await client.query<{ now: Date; today: string }>(
    `select now() as now, to_char(now() at time zone $1, 'YYYY-MM-DD') as today`,
    [timeZone],
  );
  const row = rows[0];
  if (!row) throw new Error('the database clock could not be read');
  return row;
}

/** A clinic calendar day `days` from today (YYYY-MM-DD), never February 29 (see validate-checks). */
export async function clinicDay(client: pg.ClientBase, timeZone: string, days: number): Promise<string> {
  const { rows } = await client.query<{ day: string }>(
    `select to_char(case when to_char(d, 'MM-DD') = '02-29' then d + sign($2::int)::int else d end, 'YYYY-MM-DD') as day
     from (select (now() at time zone $1)::date + $2::int as d) s`,
    [timeZone, days],
  );
  const day = rows[0]?.day;
  if (!day) throw new Error('the clinic day could not be computed');
  return day;
}

/** The instant of local wall-clock `time` on a clinic day `days` from today. */
export async function clinicSlot(client: pg.ClientBase, timeZone: string, days: number, time: string): Promise<Date> {
  const { rows } = await client.query<{ at: Date }>(
    `select ((now() at time zone $1)::date + $2::int + $3::time) at time zone $1 as at`,
    [timeZone, days, time],
  );
  const at = rows[0]?.at;
  if (!at) throw new Error('the slot could not be computed');
  return at;
}

export type BookingResult =
  | { success: true; appointment_id: string; contact_id: string; scheduled_at: string; ends_at: string }
  | { success: false; error: string; message: string; alternatives?: string[] };

export interface BookingRequest {
  name: string;
  email: string | null;
  phone: string;
  serviceType: string;
  scheduledAt: Date;
  durationMinutes: number;
}

/** The classic seven-argument positional call, as SQL callers and the release scenario make it. */
export async function book(client: pg.ClientBase, orgId: string, r: BookingRequest): Promise<BookingResult> {
  const { rows } = await client.query<{ r: BookingResult }>(
    'select public.book_appointment_atomic($1, $2, $3, $4, $5, $6, $7) as r',
    [orgId, r.name, r.email, r.phone, r.serviceType, r.scheduledAt, r.durationMinutes],
  );
  const result = rows[0]?.r;
  if (!result) throw new Error('the booking function returned nothing');
  return result;
}

export function outcome(result: BookingResult): string {
  return result.success ? 'success' : result.error;
}
