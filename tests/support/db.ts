// Database fixtures for integration tests: a pg pool on the test stack and throwaway clinics.
import pg from 'pg';
import { requireStackValue } from './stack-env.ts';

export function testPool(max = 10): pg.Pool {
  return new pg.Pool({ connectionString: requireStackValue('DATABASE_URL'), max });
}

/** A clinic open every day 06:00–20:00 local, so tests can book any day they like. */
export async function createTestOrg(db: pg.Pool | pg.Client, name: string, timeZone = 'America/New_York', country = 'US'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `with o as (
       insert into public.organizations (name, timezone, default_country) values ($1, $2, $3) returning id
     ), h as (
       insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at)
       select o.id, d::smallint, '06:00', '20:00' from o cross join generate_series(1, 7) as g(d)
     )
     select id from o`,
    [name, timeZone, country],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('organization not created');
  return id;
}

/** An instant at local wall-clock `hh:mm`, `daysAhead` days from today in the clinic's zone. */
export async function futureLocalSlot(db: pg.Pool, orgId: string, daysAhead: number, localTime: string): Promise<Date> {
  const { rows } = await db.query<{ at: Date }>(
    `select ((now() at time zone o.timezone)::date + $2::int + $3::time) at time zone o.timezone as at
     from public.organizations o where o.id = $1`,
    [orgId, daysAhead, localTime],
  );
  const at = rows[0]?.at;
  if (!at) throw new Error('organization not found');
  return at;
}

/** A calendar date (YYYY-MM-DD) `daysAhead` days from today in the clinic's zone. */
export async function futureLocalDate(db: pg.Pool, orgId: string, daysAhead: number): Promise<string> {
  const { rows } = await db.query<{ d: string }>(
    `select to_char((now() at time zone o.timezone)::date + $2::int, 'YYYY-MM-DD') as d from public.organizations o where o.id = $1`,
    [orgId, daysAhead],
  );
  const d = rows[0]?.d;
  if (!d) throw new Error('organization not found');
  return d;
}
