// Races against the real booking function: many connections, one slot. Each attempt runs on
// its own connection, all connected first and released together, so they truly overlap.
// At most 3 sessions wait for one clinic's lock (docs/tenancy-and-waits.md): a racer that finds
// the queue full is answered from committed rows (SLOT_UNAVAILABLE once the winner committed)
// or TRY_AGAIN, and its retry is then answered like any late caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestOrg, futureLocalSlot, testPool } from '../support/db.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { closeClients, connectClients, race, type BookReply } from '../../scripts/bench/db-load.ts';

interface Outcome { success: boolean; error?: string; appointment_id?: string }

const BOOK = 'select public.book_appointment_atomic($1, $2, $3, $4, $5, $6, $7) as r';

async function book(client: pg.Client, args: unknown[]): Promise<BookReply> {
  const { rows } = await client.query<{ r: BookReply }>(BOOK, args);
  const reply = rows[0]?.r;
  if (!reply) throw new Error('no reply');
  return reply;
}

/**
 * The bench's race, reduced to what these tests assert; the racers told TRY_AGAIN (the waiter
 * queue was full) retry once afterwards, as the voice assistant would, and their answers are
 * counted with the rest.
 */
async function sameSlotRace(clients: pg.Client[], argsFor: (i: number) => unknown[]) {
  const told: Array<{ client: pg.Client; i: number }> = [];
  const r = await race(clients, async (client, i) => {
    const reply = await book(client, argsFor(i));
    if (reply.error === 'TRY_AGAIN') told.push({ client, i });
    return reply;
  });
  const retries = await Promise.all(told.map(({ client, i }) => book(client, argsFor(i))));
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
    const org = await createTestOrg(pool, 'Race Clinic');
    const slot = await futureLocalSlot(pool, org, 9, '11:00');
    const tally = await sameSlotRace(clients, (i) => [org, `caller ${i}`, null, `+1555010${String(i).padStart(4, '0')}`, 'checkup', slot, 60]);
    expect(tally).toEqual({ successes: 1, unavailable: 49, ...CLEAN });
    const { rows } = await pool.query('select count(*)::int as n from public.appointments where org_id = $1', [org]);
    expect(rows[0].n).toBe(1);
    const leads = await pool.query('select count(*)::int as n from public.leads where org_id = $1', [org]);
    expect(leads.rows[0].n).toBe(1); // losers leave no half-written lead behind
  });

  it('the same slot in 10 different clinics at once: 10 successes', async () => {
    const orgs = await Promise.all(Array.from({ length: 10 }, (_, i) => createTestOrg(pool, `Tenant ${i}`)));
    const slot = await futureLocalSlot(pool, orgs[0]!, 9, '11:00');
    const tally = await sameSlotRace(clients.slice(0, 10), (i) => [orgs[i], 'same person', null, '+15550109999', 'checkup', slot, 60]);
    expect(tally).toEqual({ successes: 10, unavailable: 0, ...CLEAN });
    const { rows } = await pool.query('select count(distinct org_id)::int as n from public.appointments where org_id = any($1) and scheduled_at = $2', [orgs, slot]);
    expect(rows[0].n).toBe(10);
  });

  it('overlapping but unequal slots (11:00–12:00 vs 11:30–12:30) are refused the same way', async () => {
    const org = await createTestOrg(pool, 'Overlap Race Clinic');
    const eleven = await futureLocalSlot(pool, org, 9, '11:00');
    const halfPast = new Date(eleven.getTime() + 30 * 60_000);
    const tally = await sameSlotRace(clients, (i) => [org, `caller ${i}`, null, `+1555020${String(i).padStart(4, '0')}`, 'checkup', i % 2 === 0 ? eleven : halfPast, 60]);
    expect(tally).toEqual({ successes: 1, unavailable: 49, ...CLEAN });
    const { rows } = await pool.query('select count(*)::int as n from public.appointments where org_id = $1', [org]);
    expect(rows[0].n).toBe(1);
  });

  it('a Vapi-style retry storm with one idempotency key books once and answers the same booking', async () => {
    const org = await createTestOrg(pool, 'Retry Clinic');
    const slot = await futureLocalSlot(pool, org, 9, '15:00');
    const args = [org, 'Retry Person', null, '+15550300000', 'checkup', slot, 30, 'vapi:retry-key'];
    const KEYED = 'select public.book_appointment_atomic($1, $2, $3, $4, $5, $6, $7, $8) as r';
    const settled = await Promise.all(clients.slice(0, 20).map((c) => c.query<{ r: Outcome }>(KEYED, args)));
    const first = settled.map((s) => s.rows[0]?.r);
    // Every racer either got the booking or, finding the waiter queue full before it was
    // committed, TRY_AGAIN; a retry of those replays the same booking.
    expect(first.every((r) => r?.success || r?.error === 'TRY_AGAIN')).toBe(true);
    const retried = await Promise.all(first.filter((r) => !r?.success).map(async () => (await pool.query<{ r: Outcome }>(KEYED, args)).rows[0]?.r));
    const answers = [...first.filter((r) => r?.success), ...retried];
    expect(answers).toHaveLength(20);
    expect(answers.every((r) => r?.success)).toBe(true);
    const ids = new Set(answers.map((r) => r?.appointment_id));
    expect(ids.size).toBe(1);
    const { rows } = await pool.query('select count(*)::int as n from public.appointments where org_id = $1', [org]);
    expect(rows[0].n).toBe(1);
  });
});
