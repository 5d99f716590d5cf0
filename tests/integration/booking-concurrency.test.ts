// Races against the real booking function: many connections, one slot. Each attempt runs on
// its own connection, all connected first and released together, so they truly overlap.
// At most 3 sessions wait for one clinic's lock (docs/tenancy-and-waits.md): a racer that finds
// the queue full is answered from committed rows (SLOT_UNAVAILABLE once the winner committed)
// or TRY_AGAIN, and its retry is then answered like any late caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testPool } from '../support/db.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { closeClients, connectClients, race } from '../../scripts/bench/db-load.ts';
import { book, type BookingRequest } from '../../scripts/lib/fixtures/booking-call.ts';
import { createClinic, createClinics } from '../../scripts/lib/fixtures/clinics.ts';
import { localSlot } from '../../scripts/lib/fixtures/local-time.ts';

interface Outcome { success: boolean; error?: string; appointment_id?: string }
type Attempt = BookingRequest & { orgId: string };
const caller = (orgId: string, name: string, phone: string, scheduledAt: Date, durationMinutes: number): Attempt =>
  ({ orgId, name, email: null, phone, serviceType: 'checkup', scheduledAt, durationMinutes });

/**
 * The bench's race, reduced to what these tests assert; the racers told TRY_AGAIN (the waiter
 * queue was full) retry once afterwards, as the voice assistant would, and their answers are
 * counted with the rest.
 */
async function sameSlotRace(clients: pg.Client[], attemptOf: (i: number) => Attempt) {
  const told: Array<{ client: pg.Client; i: number }> = [];
  const r = await race(clients, async (client, i) => {
    const attempt = attemptOf(i);
    const reply = await book<Outcome>(client, attempt.orgId, attempt);
    if (reply.error === 'TRY_AGAIN') told.push({ client, i });
    return reply;
  });
  const retries = await Promise.all(told.map(({ client, i }) => book<Outcome>(client, attemptOf(i).orgId, attemptOf(i))));
  const { TRY_AGAIN: _tryAgain = 0, ...otherCodes } = r.otherCodes;
  return {
    successes: r.successes + retries.filter((x) => x.success).length,
    unavailable: r.slotUnavailable + retries.filter((x) => x.error === 'SLOT_UNAVAILABLE').length,
    otherCodes, errors: r.errors, deadlocks: r.deadlocks,
  };
}

const CLEAN = { otherCodes: {}, errors: 0, deadlocks: 0 };

describe('book_appointment_atomic under concurrency', () => {
  let pool: pg.Pool;
  let clients: pg.Client[];

  beforeAll(async () => {
    pool = testPool();
    clients = await connectClients(requireStackValue('DATABASE_URL'), 50, 'concurrency-test');
  });
  afterAll(async () => {
    await closeClients(clients);
    await pool.end();
  });

  it('50 connections booking one slot of one clinic: exactly one wins, 49 SLOT_UNAVAILABLE (some after a TRY_AGAIN), no errors', async () => {
    const { orgId: org, timeZone } = await createClinic(pool, { name: 'Race Clinic' });
    const slot = await localSlot(pool, timeZone, 9, '11:00');
    const tally = await sameSlotRace(clients, (i) => caller(org, `caller ${i}`, `+1555010${String(i).padStart(4, '0')}`, slot, 60));
    expect(tally).toEqual({ successes: 1, unavailable: 49, ...CLEAN });
    const { rows } = await pool.query('select count(*)::int as n from public.appointments where org_id = $1', [org]);
    expect(rows[0].n).toBe(1);
    const leads = await pool.query('select count(*)::int as n from public.leads where org_id = $1', [org]);
    expect(leads.rows[0].n).toBe(1); // losers leave no half-written lead behind
  });

  it('the same slot in 10 different clinics at once: 10 successes', async () => {
    const clinics = await createClinics(pool, Array.from({ length: 10 }, (_, i) => ({ name: `Tenant ${i}` })));
    const orgs = clinics.map((c) => c.orgId);
    const slot = await localSlot(pool, clinics[0]!.timeZone, 9, '11:00');
    const tally = await sameSlotRace(clients.slice(0, 10), (i) => caller(orgs[i]!, 'same person', '+15550109999', slot, 60));
    expect(tally).toEqual({ successes: 10, unavailable: 0, ...CLEAN });
    const { rows } = await pool.query('select count(distinct org_id)::int as n from public.appointments where org_id = any($1) and scheduled_at = $2', [orgs, slot]);
    expect(rows[0].n).toBe(10);
  });

  it('overlapping but unequal slots (11:00–12:00 vs 11:30–12:30) are refused the same way', async () => {
    const { orgId: org, timeZone } = await createClinic(pool, { name: 'Overlap Race Clinic' });
    const eleven = await localSlot(pool, timeZone, 9, '11:00');
    const halfPast = new Date(eleven.getTime() + 30 * 60_000);
    const tally = await sameSlotRace(clients, (i) => caller(org, `caller ${i}`, `+1555020${String(i).padStart(4, '0')}`, i % 2 === 0 ? eleven : halfPast, 60));
    expect(tally).toEqual({ successes: 1, unavailable: 49, ...CLEAN });
    const { rows } = await pool.query('select count(*)::int as n from public.appointments where org_id = $1', [org]);
    expect(rows[0].n).toBe(1);
  });

  it('a Vapi-style retry storm with one idempotency key books once and answers the same booking', async () => {
    const { orgId: org, timeZone } = await createClinic(pool, { name: 'Retry Clinic' });
    const slot = await localSlot(pool, timeZone, 9, '15:00');
    const keyed = { ...caller(org, 'Retry Person', '+15550300000', slot, 30), idempotencyKey: 'vapi:retry-key' };
    const first = await Promise.all(clients.slice(0, 20).map((c) => book<Outcome>(c, org, keyed)));
    // Every racer either got the booking or, finding the waiter queue full before it was
    // committed, TRY_AGAIN; a retry of those replays the same booking.
    expect(first.every((r) => r?.success || r?.error === 'TRY_AGAIN')).toBe(true);
    const retried = await Promise.all(first.filter((r) => !r?.success).map(() => book<Outcome>(pool, org, keyed)));
    const answers = [...first.filter((r) => r?.success), ...retried];
    expect(answers).toHaveLength(20);
    expect(answers.every((r) => r?.success)).toBe(true);
    const ids = new Set(answers.map((r) => r?.appointment_id));
    expect(ids.size).toBe(1);
    const { rows } = await pool.query('select count(*)::int as n from public.appointments where org_id = $1', [org]);
    expect(rows[0].n).toBe(1);
  });
});
