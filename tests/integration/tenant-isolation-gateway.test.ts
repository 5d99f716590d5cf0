// One clinic's stuck lock never makes another clinic's booking wait or fail, measured through
// the local PostgREST-compatible gateway (a pool of 10 connections, as PostgREST's default):
// with A's lock held and 60 A bookings in flight, at most 3 of them hold a connection waiting,
// the rest are answered TRY_AGAIN at once, and B's bookings keep their normal latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { testPool } from '../support/db.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { holdBookingLock, type LockHolder } from '../support/booking-lock.ts';
import { callRpc } from '../support/gateway-rpc.ts';
import { backendsBlockedBy } from '../../scripts/lib/fixtures/booking-lock.ts';
import { createClinics } from '../../scripts/lib/fixtures/clinics.ts';
import { localSlot } from '../../scripts/lib/fixtures/local-time.ts';
import { waitFor } from '../../scripts/lib/poll.ts';
import { summarize } from '../../scripts/bench/stats.ts';

const A_CALLS = 60;
const B_CALLS = 20;

let pool: pg.Pool;
let holder: LockHolder | undefined;
beforeAll(() => { pool = testPool(); });
afterAll(async () => {
  await holder?.close();
  await pool.end();
});

function book(orgId: string, name: string, phone: string, at: Date): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  return callRpc('book_appointment_atomic', {
    p_org_id: orgId, p_name: name, p_email: null, p_phone: phone, p_service_type: 'checkup', p_scheduled_at: at.toISOString(), p_duration_minutes: 10,
  }, requireStackValue('SUPABASE_SERVICE_ROLE_KEY')).then((reply) => ({ status: reply.status, body: reply.body, ms: performance.now() - started }));
}

describe('clinic B while clinic A is stuck, through the gateway pool', () => {
  it(`B's bookings stay fast with A's lock held and ${A_CALLS} A calls in flight; every A call is answered TRY_AGAIN within the budget`, async () => {
    const [stuck, free] = await createClinics(pool, [{ name: 'Stuck Gateway Clinic' }, { name: 'Free Gateway Clinic' }]);
    const a = stuck!.orgId;
    const b = free!.orgId;
    const aSlot = await localSlot(pool, stuck!.timeZone, 8, '07:00');
    const bSlot = await localSlot(pool, free!.timeZone, 8, '07:00');
    holder = await holdBookingLock(a);
    const holderPid = holder.pid;

    const aCalls = Array.from({ length: A_CALLS }, (_, i) =>
      book(a, `Stuck ${i}`, `+1555018${String(i).padStart(4, '0')}`, new Date(aSlot.getTime() + i * 10 * 60_000)));
    await waitFor(async () => (await backendsBlockedBy(pool, holderPid)) > 0, { what: 'A calls to queue on the clinic lock', timeoutMs: 3000 });

    const bTimes: number[] = [];
    for (let i = 0; i < B_CALLS; i += 1) {
      const reply = await book(b, `Free ${i}`, `+1555019${String(i).padStart(4, '0')}`, new Date(bSlot.getTime() + i * 10 * 60_000));
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ success: true });
      bTimes.push(reply.ms);
    }
    expect(await backendsBlockedBy(pool, holderPid)).toBeLessThanOrEqual(3);

    const aReplies = await Promise.all(aCalls);
    expect(aReplies.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    expect(aReplies.map((r) => (r.body as { error?: string }).error).filter((e) => e !== "TRY_AGAIN")).toEqual([]);
    const aLongest = Math.max(...aReplies.map((r) => r.ms));
    const bStats = summarize(bTimes);
    console.log(`B while A is stuck (${A_CALLS} A calls): p50 ${bStats.p50.toFixed(0)} ms, p95 ${bStats.p95.toFixed(0)} ms, max ${bStats.max.toFixed(0)} ms; longest A answer ${aLongest.toFixed(0)} ms`);
    expect(bStats.p95).toBeLessThan(1000);
    expect(aLongest).toBeLessThan(3000 + 1500);
  });
});
