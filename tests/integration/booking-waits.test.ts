// Every wait inside the booking and availability functions is bounded by ONE budget and
// answered TRY_AGAIN (never 55P03 / 57014), and one clinic's stuck lock cannot hold more than
// K = 3 connections: the rest of its callers are answered at once and other clinics book
// meanwhile (docs/tenancy-and-waits.md). Each blocker is a real second session.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testPool } from '../support/db.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { holdBookingLock, holdInTransaction, type LockHolder } from '../support/booking-lock.ts';
import { rowCounts } from '../support/booking-rows.ts';
import { closeClients, connectClients } from '../../scripts/bench/db-load.ts';
import { book } from '../../scripts/lib/fixtures/booking-call.ts';
import { backendsBlockedBy } from '../../scripts/lib/fixtures/booking-lock.ts';
import { createClinic, createClinics } from '../../scripts/lib/fixtures/clinics.ts';
import { localDate, localSlot } from '../../scripts/lib/fixtures/local-time.ts';
import { waitFor } from '../../scripts/lib/poll.ts';

/** The total wait budget of book_appointment_atomic and check_availability. */
const BUDGET_MS = 3000;
/** Waiter slots per clinic (private.take_booking_waiter_slot). */
const WAITERS = 3;
/** Slack for a loaded 2-core machine on top of the budget. */
const SLACK_MS = 800;

interface Reply { success: boolean; error?: string; appointment_id?: string }

let pool: pg.Pool;
let caller: pg.Client;
const holders: LockHolder[] = [];

beforeAll(async () => {
  pool = testPool();
  caller = new pg.Client({ connectionString: requireStackValue('DATABASE_URL') });
  await caller.connect();
});
afterEach(async () => {
  await Promise.all(holders.splice(0).map((h) => h.close()));
});
afterAll(async () => {
  await caller.end();
  await pool.end();
});

async function hold(sql: string, params: unknown[] = []): Promise<LockHolder> {
  const holder = await holdInTransaction(sql, params);
  holders.push(holder);
  return holder;
}

async function timedBook(client: pg.Client, orgId: string, who: { name: string; phone: string; scheduledAt: Date }): Promise<{ reply: Reply; ms: number }> {
  const started = performance.now();
  const reply = await book<Reply>(client, orgId, { ...who, email: null, serviceType: 'checkup', durationMinutes: 30 });
  return { reply, ms: performance.now() - started };
}

async function clinicWithLead(name: string, phone: string): Promise<{ org: string; slot: Date; leadId: string }> {
  const { orgId: org, timeZone } = await createClinic(pool, { name });
  const slot = await localSlot(pool, timeZone, 6, '10:00');
  const { rows } = await pool.query<{ id: string }>(`insert into public.leads (org_id, name, phone) values ($1, 'Pat Patient', $2) returning id`, [org, phone]);
  return { org, slot, leadId: rows[0]!.id };
}

describe('bounded waits in book_appointment_atomic', () => {
  it('a lead row locked by a staff transaction (for update): TRY_AGAIN within the budget, not 55P03', async () => {
    const { org, slot, leadId } = await clinicWithLead('Row Lock Clinic', '+15550160001');
    await hold('select 1 from public.leads where id = $1 for update', [leadId]);
    const { reply, ms } = await timedBook(caller, org, { name: 'Pat Patient', phone: '+15550160001', scheduledAt: slot });
    expect(reply).toMatchObject({ success: false, error: 'TRY_AGAIN' });
    expect(ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    expect(await rowCounts(pool, [org])).toEqual({ leads: 1, appointments: 0 });
  });

  it("a staff edit of the lead's name (uncommitted) does not block a booking for that phone", async () => {
    const { org, slot, leadId } = await clinicWithLead('Staff Edit Clinic', '+15550160002');
    await hold(`update public.leads set name = 'Pat Renamed', status = 'contacted' where id = $1`, [leadId]);
    const { reply, ms } = await timedBook(caller, org, { name: 'Other Name', phone: '+15550160002', scheduledAt: slot });
    expect(reply).toMatchObject({ success: true });
    expect(ms).toBeLessThan(1000);
  });

  it('the clinic row locked (for update): TRY_AGAIN within the budget; a plain settings edit does not block', async () => {
    const { org, slot } = await clinicWithLead('Org Lock Clinic', '+15550160003');
    const edit = await hold(`update public.organizations set name = 'Renamed Meanwhile' where id = $1`, [org]);
    const unblocked = await timedBook(caller, org, { name: 'First Caller', phone: '+15550160004', scheduledAt: slot });
    expect(unblocked.reply).toMatchObject({ success: true });
    expect(unblocked.ms).toBeLessThan(1000);
    await edit.release();

    await hold('select 1 from public.organizations where id = $1 for update', [org]);
    const { reply, ms } = await timedBook(caller, org, { name: 'Second Caller', phone: '+15550160005', scheduledAt: new Date(slot.getTime() + 3_600_000) });
    expect(reply).toMatchObject({ success: false, error: 'TRY_AGAIN' });
    expect(ms).toBeLessThan(BUDGET_MS + SLACK_MS);
  });

  it('an uncommitted overlapping insert by a writer that bypasses the function: TRY_AGAIN within the budget', async () => {
    const { org, slot, leadId } = await clinicWithLead('Uncommitted Clinic', '+15550160006');
    const endsAt = new Date(slot.getTime() + 30 * 60_000);
    await hold(`insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
                values ($1, $2, 'checkup', $3, $4, 30)`, [org, leadId, slot, endsAt]);
    const { reply, ms } = await timedBook(caller, org, { name: 'Racing Rita', phone: '+15550160007', scheduledAt: slot });
    expect(reply).toMatchObject({ success: false, error: 'TRY_AGAIN' });
    expect(ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    expect(await rowCounts(pool, [org])).toEqual({ leads: 1, appointments: 0 }); // Rita's lead rolled back with her attempt
  });

  it('the waits add up to ONE bound: 2 s on the clinic lock, then a locked lead → answered by 3 s, not 2 + 3', async () => {
    const { org, slot, leadId } = await clinicWithLead('Sum Of Waits Clinic', '+15550160008');
    await hold('select 1 from public.leads where id = $1 for update', [leadId]);
    const clinicLock = await holdBookingLock(org);
    holders.push(clinicLock);
    const releaseAfter = setTimeout(() => { void clinicLock.release(); }, 2000);
    try {
      const { reply, ms } = await timedBook(caller, org, { name: 'Pat Patient', phone: '+15550160008', scheduledAt: slot });
      expect(reply).toMatchObject({ success: false, error: 'TRY_AGAIN' });
      expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 300);
      expect(ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    } finally {
      clearTimeout(releaseAfter);
    }
  });

  it('a statement timeout while waiting is answered TRY_AGAIN (57014 never escapes) and leaves the session usable', async () => {
    const { org, slot } = await clinicWithLead('Timeout Clinic', '+15550160009');
    await hold('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`book_appointment_atomic:${org}`]);
    await caller.query(`set statement_timeout = '400ms'`);
    try {
      const { reply, ms } = await timedBook(caller, org, { name: 'Tim Out', phone: '+15550160010', scheduledAt: slot });
      expect(reply).toMatchObject({ success: false, error: 'TRY_AGAIN' });
      expect(ms).toBeLessThan(1500);
    } finally {
      await caller.query('reset statement_timeout');
    }
    expect((await caller.query<{ one: number }>('select 1 as one')).rows[0]?.one).toBe(1);
  });
});

describe('resolve_booking_org', () => {
  it('a routing table locked by DDL: lock_not_available after 1 s (answered TRY_AGAIN by the endpoint), not a wait for the 8 s statement timeout', async () => {
    await hold('lock table public.vapi_routes in access exclusive mode');
    const started = performance.now();
    const error = await caller.query(`select public.resolve_booking_org('no-such-assistant', null, null)`).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: '55P03' });
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(1000 + SLACK_MS);
  });
});

describe('check_availability', () => {
  it('a table lock held by DDL: TRY_AGAIN within the budget, not 55P03', async () => {
    const { orgId: org, timeZone } = await createClinic(pool, { name: 'Ddl Clinic' });
    const day = await localDate(pool, timeZone, 3);
    await hold('lock table public.appointments in access exclusive mode');
    const started = performance.now();
    const { rows } = await caller.query<{ r: Reply }>('select public.check_availability($1, $2::date, 30) as r', [org, day]);
    expect(rows[0]?.r).toMatchObject({ success: false, error: 'TRY_AGAIN' });
    expect(performance.now() - started).toBeLessThan(BUDGET_MS + SLACK_MS);
  });
});

describe("one clinic's stuck lock, many callers on separate connections", () => {
  const N = 15;
  let clients: pg.Client[] = [];
  beforeAll(async () => { clients = await connectClients(requireStackValue('DATABASE_URL'), N, 'waiter-cap-test'); });
  afterAll(async () => { await closeClients(clients); });

  it(`at most ${WAITERS} wait, the rest answer TRY_AGAIN at once, and another clinic books meanwhile`, async () => {
    const [stuckClinic, otherClinic] = await createClinics(pool, [{ name: 'Stuck Clinic' }, { name: 'Neighbour Clinic' }]);
    const stuck = stuckClinic!.orgId;
    const other = otherClinic!.orgId;
    const slot = await localSlot(pool, stuckClinic!.timeZone, 6, '09:00');
    const holder = await holdBookingLock(stuck);
    holders.push(holder);

    const calls = clients.map((client, i) =>
      timedBook(client, stuck, { name: `Queued ${i}`, phone: `+1555017${String(i).padStart(4, '0')}`, scheduledAt: new Date(slot.getTime() + i * 30 * 60_000) }));
    await waitFor(async () => (await backendsBlockedBy(pool, holder.pid)) >= WAITERS, { what: 'the waiters to queue', timeoutMs: 2000 });

    // While the waiters wait: the neighbour books at once.
    const neighbour = await timedBook(caller, other, { name: 'Next Door', phone: '+15550179999', scheduledAt: slot });
    expect(neighbour.reply).toMatchObject({ success: true });
    expect(neighbour.ms).toBeLessThan(1000);
    expect(await backendsBlockedBy(pool, holder.pid)).toBe(WAITERS);

    const answers = await Promise.all(calls);
    expect(answers.every((a) => a.reply.error === 'TRY_AGAIN')).toBe(true);
    const immediate = answers.filter((a) => a.ms < 1000);
    const waited = answers.filter((a) => a.ms >= 1000);
    expect(immediate).toHaveLength(N - WAITERS);
    expect(waited).toHaveLength(WAITERS);
    expect(Math.max(...waited.map((a) => a.ms))).toBeLessThan(BUDGET_MS + SLACK_MS);

    // Once the holder lets go, the clinic books again.
    await holder.release();
    const after = await timedBook(caller, stuck, { name: 'After Ann', phone: '+15550178888', scheduledAt: slot });
    expect(after.reply).toMatchObject({ success: true });
  });
});
