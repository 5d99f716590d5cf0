// Races against the real booking function: many connections, one slot. Each attempt runs on
// its own connection, all connected first and released together, so they truly overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestOrg, futureLocalSlot, testPool } from '../support/db.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { closeClients, connectClients, race, type BookReply } from '../../scripts/bench/db-load.ts';

interface Outcome { success: boolean; error?: string; appointment_id?: string }

const BOOK = 'select public.book_appointment_atomic($1, $2, $3, $4, $5, $6, $7) as r';

/** The bench's race, reduced to what these tests assert. */
async function sameSlotRace(clients: pg.Client[], argsFor: (i: number) => unknown[]) {
  const r = await race(clients, async (client, i) => {
    const { rows } = await client.query<{ r: BookReply }>(BOOK, argsFor(i));
    const reply = rows[0]?.r;
    if (!reply) throw new Error('no reply');
    return reply;
  });
  return { successes: r.successes, unavailable: r.slotUnavailable, otherCodes: r.otherCodes, errors: r.errors, deadlocks: r.deadlocks };
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

  it('50 connections booking one slot of one clinic: exactly one wins, 49 SLOT_UNAVAILABLE, no errors', async () => {
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
    const settled = await Promise.all(clients.slice(0, 20).map((c) => c.query<{ r: Outcome }>(
      'select public.book_appointment_atomic($1, $2, $3, $4, $5, $6, $7, $8) as r',
      [org, 'Retry Person', null, '+15550300000', 'checkup', slot, 30, 'vapi:retry-key'],
    )));
    const ids = new Set(settled.map((s) => s.rows[0]?.r.appointment_id));
    expect(settled.every((s) => s.rows[0]?.r.success)).toBe(true);
    expect(ids.size).toBe(1);
    const { rows } = await pool.query('select count(*)::int as n from public.appointments where org_id = $1', [org]);
    expect(rows[0].n).toBe(1);
  });
});
