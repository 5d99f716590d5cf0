// Load on the database itself, with node-postgres: the booking function, the bare-insert floor
// (same client, same connections, same orgs) and same-slot races, ours and a naive one.
import pg from 'pg';
import { elapsedMs, summarize, type LatencySummary } from './stats.ts';
import { describeError } from './loop.ts';
import { bookingQuery } from '../lib/fixtures/booking-call.ts';

export interface Booking {
  orgId: string;
  name: string;
  phone: string;
  at: Date;
  minutes: number;
  key: string | null;
}

export interface BookReply {
  success: boolean;
  error?: string;
}

const FLOOR_TEXT = `insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, idempotency_key)
values ($1, $2, $3, $4, $5, $6, $7)`;

/** A named (prepared once per connection) call of the booking function. */
export function bookQuery(b: Booking): pg.QueryConfig {
  const call = { name: b.name, email: null, phone: b.phone, serviceType: 'checkup', scheduledAt: b.at, durationMinutes: b.minutes, idempotencyKey: b.key };
  return { name: 'book', ...bookingQuery(b.orgId, call) };
}

/** The floor: the same appointment row, inserted bare (the lead exists already). */
export function floorQuery(b: Booking, leadId: string): pg.QueryConfig {
  const endsAt = new Date(b.at.getTime() + b.minutes * 60_000);
  return { name: 'floor', text: FLOOR_TEXT, values: [b.orgId, leadId, 'checkup', b.at, endsAt, b.minutes, b.key] };
}

export async function connectClients(url: string, n: number, applicationName: string): Promise<pg.Client[]> {
  const clients: pg.Client[] = [];
  try {
    // In batches: 200 simultaneous connection starts (scram + fork) would only measure the storm.
    for (let i = 0; i < n; i += 25) {
      const batch = Array.from({ length: Math.min(25, n - i) }, () => new pg.Client({ connectionString: url, application_name: applicationName }));
      clients.push(...batch);
      await Promise.all(batch.map((c) => c.connect()));
    }
    return clients;
  } catch (error) {
    await closeClients(clients);
    throw error;
  }
}

export async function closeClients(clients: readonly pg.Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
}

export async function callBook(client: pg.Client, b: Booking): Promise<BookReply> {
  const { rows } = await client.query<{ r: BookReply }>(bookQuery(b));
  const reply = rows[0]?.r;
  if (!reply) throw new Error('no reply from book_appointment_atomic');
  return reply;
}

/** Succeeds only when the function answered success. */
export async function bookExpectingSuccess(client: pg.Client, b: Booking): Promise<string | null> {
  const reply = await callBook(client, b);
  return reply.success ? null : `answered ${reply.error ?? 'failure'}`;
}

export async function floorInsert(client: pg.Client, b: Booking, leadId: string): Promise<string | null> {
  const result = await client.query(floorQuery(b, leadId));
  return result.rowCount === 1 ? null : `inserted ${result.rowCount ?? 0} rows`;
}

// ---------------------------------------------------------------------------------------------
// Same-slot races.

export interface RaceResult {
  attempts: number;
  successes: number;
  slotUnavailable: number;
  otherCodes: Record<string, number>;
  errors: number;
  deadlocks: number;
  errorSamples: string[];
  wallMs: number;
  latency: LatencySummary;
  /** Active rows overlapping the slot afterwards, read back from the table. */
  rowsInSlot: number;
}

/** Every client fires at the same instant (all connected beforehand); nothing awaits in between. */
export async function race(
  clients: readonly pg.Client[],
  attempt: (client: pg.Client, i: number) => Promise<BookReply>,
): Promise<Omit<RaceResult, 'rowsInSlot'>> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const settled = await Promise.allSettled(clients.map(async (client, i) => {
    const t0 = process.hrtime.bigint();
    try {
      return await attempt(client, i);
    } finally {
      latencies.push(elapsedMs(t0));
    }
  }));
  const wallMs = elapsedMs(started);
  const result: Omit<RaceResult, 'rowsInSlot'> = {
    attempts: clients.length, successes: 0, slotUnavailable: 0, otherCodes: {}, errors: 0, deadlocks: 0,
    errorSamples: [], wallMs, latency: summarize(latencies),
  };
  for (const s of settled) {
    if (s.status === 'rejected') {
      result.errors += 1;
      if ((s.reason as { code?: unknown }).code === '40P01') result.deadlocks += 1;
      if (result.errorSamples.length < 5) result.errorSamples.push(describeError(s.reason));
    } else if (s.value.success) {
      result.successes += 1;
    } else if (s.value.error === 'SLOT_UNAVAILABLE') {
      result.slotUnavailable += 1;
    } else {
      const code = s.value.error ?? 'unknown';
      result.otherCodes[code] = (result.otherCodes[code] ?? 0) + 1;
    }
  }
  return result;
}

export async function activeRowsOverlapping(db: pg.Client, table: 'public.appointments' | 'bench_naive.appointments', orgId: string, at: Date, minutes: number): Promise<number> {
  const active = table === 'public.appointments' ? 'a.is_active' : "a.status in ('booked', 'confirmed')";
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from ${table} a
     where a.org_id = $1 and ${active}
       and tstzrange(a.scheduled_at, a.ends_at, '[)') && tstzrange($2::timestamptz, $2::timestamptz + make_interval(mins => $3::int), '[)')`,
    [orgId, at, minutes],
  );
  return rows[0]?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// The naive booking function the design exists to avoid: check, then insert, no lock, no
// exclusion constraint. Created only in the bench's scratch database.

export const NAIVE_SCHEMA_SQL = `
create schema bench_naive;
create table bench_naive.appointments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  phone text not null,
  scheduled_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'booked'
);
create index on bench_naive.appointments (org_id, scheduled_at);
create function bench_naive.book(p_org_id uuid, p_phone text, p_scheduled_at timestamptz, p_duration_minutes integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ends_at timestamptz := p_scheduled_at + pg_catalog.make_interval(mins => p_duration_minutes);
  v_overlaps integer;
begin
  select pg_catalog.count(*) into v_overlaps
  from bench_naive.appointments a
  where a.org_id = p_org_id and a.status in ('booked', 'confirmed')
    and pg_catalog.tstzrange(a.scheduled_at, a.ends_at, '[)') && pg_catalog.tstzrange(p_scheduled_at, v_ends_at, '[)');
  if v_overlaps = 0 then
    insert into bench_naive.appointments (org_id, phone, scheduled_at, ends_at)
    values (p_org_id, p_phone, p_scheduled_at, v_ends_at);
    return pg_catalog.jsonb_build_object('success', true);
  end if;
  return pg_catalog.jsonb_build_object('success', false, 'error', 'SLOT_UNAVAILABLE');
end;
$$;
`;

export async function callNaive(client: pg.Client, orgId: string, phone: string, at: Date, minutes: number): Promise<BookReply> {
  const { rows } = await client.query<{ r: BookReply }>({
    name: 'naive',
    text: 'select bench_naive.book($1, $2, $3, $4) as r',
    values: [orgId, phone, at, minutes],
  });
  const reply = rows[0]?.r;
  if (!reply) throw new Error('no reply from bench_naive.book');
  return reply;
}
