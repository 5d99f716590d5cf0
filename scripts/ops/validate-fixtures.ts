// What the release validation books against: two throwaway clinics created inside the
// validation's transaction (so they vanish with its rollback) and the days it picks. Clinics,
// slots and the booking call themselves come from scripts/lib/fixtures, as for the tests.
import type pg from 'pg';
import { createClinics } from '../lib/fixtures/clinics.ts';
import { localDate } from '../lib/fixtures/local-time.ts';

export const VALIDATION_TIME_ZONE = 'America/New_York';

export interface ThrowawayOrgs {
  a: string;
  b: string;
}

/** Two US clinics, open 08:00–18:00 local every day, so any day the checks pick is bookable. */
export async function createThrowawayOrgs(client: pg.ClientBase): Promise<ThrowawayOrgs> {
  const clinic = (label: string) => ({
    name: `Release validation ${label} (rolled back)`, timeZone: VALIDATION_TIME_ZONE, country: 'US',
    defaultDurationMinutes: 30, opens: '08:00', closes: '18:00',
  });
  const [a, b] = await createClinics(client, [clinic('A'), clinic('B')]);
  if (!a || !b) throw new Error('the throwaway organizations were not created');
  return { a: a.orgId, b: b.orgId };
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
  const day = await localDate(client, timeZone, days);
  return day.endsWith('-02-29') ? localDate(client, timeZone, days + Math.sign(days)) : day;
}
