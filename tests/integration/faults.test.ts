// Faults under a running endpoint (gateway + edge function under Deno): the database going
// away and coming back, a clinic's booking lock held by a long transaction, and the endpoint
// processes dying while a booking is inside the database. Whatever happens, the caller hears
// a speakable line in time and the tables hold whole bookings or nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testPool } from '../support/db.ts';
import { postToFunction, resultsOf } from '../support/http.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { bookingMessage } from '../support/routing.ts';
import { leadsWithoutAppointment, overlappingAppointments, rowCounts } from '../support/booking-rows.ts';
import { BOOKED_LINE, SLOT_TAKEN_PREFIX, TRY_AGAIN_LINE, UNAVAILABLE_LINE } from '../support/answers.ts';
import { ensureTestDatabaseRunning, isTestDatabaseRunning, stopTestDatabase, testCluster, testDatabasePort } from '../support/database-control.ts';
import { backendBlockedBy, backendExists, holdBookingLock, type LockHolder } from '../support/booking-lock.ts';
import { startPrivateEndpoint, type PrivateEndpoint } from '../support/private-endpoint.ts';
import { book } from '../../scripts/lib/fixtures/booking-call.ts';
import { createClinic, type RoutedClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { localSlot } from '../../scripts/lib/fixtures/local-time.ts';
import { waitFor } from '../../scripts/lib/poll.ts';

/** book_appointment_atomic's total wait budget (docs/tenancy-and-waits.md). */
const LOCK_TIMEOUT_MS = 3000;

let pool: pg.Pool;

beforeAll(() => {
  pool = testPool();
  // Idle connections die when a test stops the database on purpose; the pool replaces them.
  pool.on('error', () => undefined);
});

afterAll(async () => {
  // Later suites share this database: bring it back even when a test failed half-way.
  await ensureTestDatabaseRunning();
  await pool.end();
});

async function timedPost(body: unknown): Promise<{ status: number; json: unknown; text: string; ms: number }> {
  const started = performance.now();
  const reply = await postToFunction(body);
  return { ...reply, ms: performance.now() - started };
}

const only = (json: unknown): { toolCallId: string; result?: string; error?: string } => {
  const results = resultsOf(json);
  expect(results).toHaveLength(1);
  const [first] = results;
  if (!first) throw new Error('no result');
  return first;
};

describe('the database stops while the endpoint runs', () => {
  it('every tool call answers 200 with the UNAVAILABLE line within 5 s, writes nothing, and bookings work once the database is back', async () => {
    const warm = await createClinic(pool, { name: 'Outage Warm Clinic', routes: true });
    const cold = await createClinic(pool, { name: 'Outage Cold Clinic', routes: true });
    const warmSlot = await localSlot(pool, warm.timeZone, 5, '10:00');
    const coldSlot = await localSlot(pool, cold.timeZone, 5, '10:00');
    const day = warmSlot.toISOString().slice(0, 10);

    // The function caches the warm clinic's routing, so its calls fail at the booking RPC;
    // the cold clinic's fail one step earlier, at the org lookup.
    const warmUp = await postToFunction({
      message: {
        type: 'tool-calls',
        call: { id: 'outage-warm-up', assistantId: warm.assistantId },
        toolCallList: [{ id: 'warm-up', type: 'function', function: { name: 'checkAvailability', arguments: { date: day } } }],
      },
    });
    expect(only(warmUp.json).result).toMatch(/^On /);

    const warmBooking = bookingMessage(warm, { callId: 'outage-call-warm', slot: warmSlot, caller: { name: 'Wanda Warm', phone: '+15550610001' } });
    const coldBooking = bookingMessage(cold, { callId: 'outage-call-cold', slot: coldSlot, caller: { name: 'Colin Cold', phone: '+15550610002' } });
    const twoCalls = {
      message: {
        type: 'tool-calls',
        call: { id: 'outage-call-two', assistantId: warm.assistantId },
        toolCallList: [
          { id: 'two-a', type: 'function', function: { name: 'bookClinicAppointment', arguments: JSON.stringify({ name: 'Tess Two', phone: '+15550610003', serviceType: 'checkup', scheduledAt: warmSlot.toISOString() }) } },
          { id: 'two-b', type: 'function', function: { name: 'checkAvailability', arguments: { date: day } } },
        ],
      },
    };
    const legacy = {
      message: {
        type: 'function-call',
        call: { id: 'outage-call-legacy', assistantId: warm.assistantId },
        functionCall: { name: 'bookClinicAppointment', parameters: { name: 'Lee Legacy', phone: '+15550610004', serviceType: 'checkup', scheduledAt: warmSlot.toISOString() } },
      },
    };

    await stopTestDatabase();
    try {
      expect(await isTestDatabaseRunning()).toBe(false);
      const [a, b, c, d] = await Promise.all([timedPost(warmBooking), timedPost(coldBooking), timedPost(twoCalls), timedPost(legacy)]);
      for (const reply of [a, b, c, d]) {
        expect(reply.status).toBe(200);
        expect(reply.ms).toBeLessThan(5000);
      }
      expect(only(a.json)).toEqual({ toolCallId: 'outage-call-warm-tool', error: UNAVAILABLE_LINE });
      expect(only(b.json)).toEqual({ toolCallId: 'outage-call-cold-tool', error: UNAVAILABLE_LINE });
      expect(resultsOf(c.json)).toEqual([
        { toolCallId: 'two-a', error: UNAVAILABLE_LINE },
        { toolCallId: 'two-b', error: UNAVAILABLE_LINE },
      ]);
      expect(d.json).toEqual({ result: UNAVAILABLE_LINE });
      expect(await isTestDatabaseRunning()).toBe(false); // the answers really came from the outage
    } finally {
      await ensureTestDatabaseRunning();
    }
    expect(testCluster().runningPort()).toBe(testDatabasePort());

    // Nothing half-written by the calls made during the outage.
    expect(await rowCounts(pool, [warm.orgId, cold.orgId])).toEqual({ leads: 0, appointments: 0 });

    // Vapi retries the same calls: the gateway and the function reconnect by themselves.
    const [warmRetry, coldRetry] = await Promise.all([postToFunction(warmBooking), postToFunction(coldBooking)]);
    expect(warmRetry.status).toBe(200);
    expect(only(warmRetry.json).result).toMatch(BOOKED_LINE);
    expect(only(coldRetry.json).result).toMatch(BOOKED_LINE);
    expect(await rowCounts(pool, [warm.orgId])).toEqual({ leads: 1, appointments: 1 });
    expect(await rowCounts(pool, [cold.orgId])).toEqual({ leads: 1, appointments: 1 });
    expect(await leadsWithoutAppointment(pool, [warm.orgId, cold.orgId])).toBe(0);
  });
});

describe("a clinic's booking lock held by a long transaction", () => {
  const holders: LockHolder[] = [];
  afterAll(async () => { await Promise.all(holders.map((h) => h.close())); });
  const hold = async (orgId: string): Promise<LockHolder> => {
    const holder = await holdBookingLock(orgId);
    holders.push(holder);
    return holder;
  };

  it('over HTTP: the queued booking answers TRY_AGAIN after the lock timeout, another clinic books meanwhile, and the retry books once the holder commits', async () => {
    const busy = await createClinic(pool, { name: 'Busy Clinic', routes: true });
    const other = await createClinic(pool, { name: 'Unaffected Clinic', routes: true });
    const slot = await localSlot(pool, busy.timeZone, 6, '09:00');
    const call = bookingMessage(busy, { callId: 'busy-call', slot, caller: { name: 'Queued Quinn', phone: '+15550620001' } });

    const holder = await hold(busy.orgId);
    const started = performance.now();
    let answeredAt: number | undefined;
    const queued = postToFunction(call).then((reply) => {
      answeredAt = performance.now();
      return reply;
    });
    const holderPid = holder.pid;
    await waitFor(() => backendBlockedBy(pool, holderPid), { what: 'the booking to queue on the clinic lock', timeoutMs: 3000 });

    // Another clinic is not behind that lock.
    const elsewhere = await timedPost(bookingMessage(other, { callId: 'unaffected-call', slot, caller: { name: 'Free Fran', phone: '+15550620002' } }));
    expect(only(elsewhere.json).result).toMatch(BOOKED_LINE);
    expect(elsewhere.ms).toBeLessThan(1500);
    expect(answeredAt).toBeUndefined(); // the first booking is still queued

    const reply = await queued;
    const waited = (answeredAt ?? Number.NaN) - started;
    expect(reply.status).toBe(200);
    expect(only(reply.json)).toEqual({ toolCallId: 'busy-call-tool', result: TRY_AGAIN_LINE });
    expect(waited).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 500);
    expect(waited).toBeLessThan(LOCK_TIMEOUT_MS + 2000); // well under Vapi's 20 s tool timeout
    expect(await rowCounts(pool, [busy.orgId])).toEqual({ leads: 0, appointments: 0 });

    await holder.release();
    const retry = await postToFunction(call);
    expect(only(retry.json).result).toMatch(BOOKED_LINE);
    expect(await rowCounts(pool, [busy.orgId])).toEqual({ leads: 1, appointments: 1 });
  });

  it('in SQL: book_appointment_atomic returns TRY_AGAIN after its 3 s wait budget instead of hanging, and books after the commit', async () => {
    const busy = await createClinic(pool, { name: 'Busy SQL Clinic', routes: true });
    const slot = await localSlot(pool, busy.timeZone, 6, '09:00');
    const sam = { name: 'Sql Sam', email: null, phone: '+15550630001', serviceType: 'checkup', scheduledAt: slot, durationMinutes: 30 };
    const caller = new pg.Client({ connectionString: requireStackValue('DATABASE_URL') });
    await caller.connect();
    try {
      const holder = await hold(busy.orgId);
      const started = performance.now();
      const answer = await book(caller, busy.orgId, sam);
      const waited = performance.now() - started;
      expect(answer).toMatchObject({ success: false, error: 'TRY_AGAIN' });
      expect(answer).not.toHaveProperty('appointment_id');
      expect(waited).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 500);
      expect(waited).toBeLessThan(LOCK_TIMEOUT_MS + 1500);
      // An answer, not an error: the caller's session is not left in a failed state.
      expect((await caller.query<{ one: number }>('select 1 as one')).rows[0]?.one).toBe(1);
      expect(await rowCounts(pool, [busy.orgId])).toEqual({ leads: 0, appointments: 0 });

      await holder.release();
      const after = await book(caller, busy.orgId, sam);
      expect(after).toMatchObject({ success: true });
      expect(await rowCounts(pool, [busy.orgId])).toEqual({ leads: 1, appointments: 1 });
    } finally {
      await caller.end();
    }
  });
});

describe('the endpoint killed while a booking is inside the database', () => {
  let endpoint: PrivateEndpoint | undefined;
  let holder: LockHolder | undefined;
  afterAll(async () => {
    await holder?.close();
    await endpoint?.stop();
  });

  it('leaves one whole booking or none (never a lead alone, never two), and the shared endpoint still books', async () => {
    const victim: RoutedClinic = await createClinic(pool, { name: 'Crash Clinic', routes: true });
    const slot = await localSlot(pool, victim.timeZone, 7, '14:00');
    endpoint = await startPrivateEndpoint();
    const own = endpoint;

    holder = await holdBookingLock(victim.orgId);
    const holderPid = holder.pid;
    const inFlight = fetch(own.fn.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vapi-secret': requireStackValue('VAPI_SECRET') },
      body: JSON.stringify(bookingMessage(victim, { callId: 'crash-call', slot, caller: { name: 'Crash Carla', phone: '+15550640001' } })),
    }).then(async (response) => `answered ${response.status}: ${await response.text()}`, () => 'connection lost');
    const booking = await waitFor(() => backendBlockedBy(pool, holderPid), { what: 'the booking to queue on the clinic lock', timeoutMs: 3000 });
    const queuedAt = performance.now();

    await own.kill(own.fn);
    await own.kill(own.gateway);
    expect(await inFlight).toBe('connection lost');
    // Still inside the database with nobody left to hear its answer, and released well before
    // its lock_timeout so that it runs to the end rather than giving up.
    expect(await backendBlockedBy(pool, holderPid)).toBe(booking);
    expect(performance.now() - queuedAt).toBeLessThan(LOCK_TIMEOUT_MS - 500);
    await holder.release();

    // The orphaned backend finishes the call, finds its client gone and ends its session.
    await waitFor(async () => !(await backendExists(pool, booking)), { what: 'the orphaned booking session to end', timeoutMs: 10_000 });

    const counts = await rowCounts(pool, [victim.orgId]);
    expect(counts.appointments).toBeLessThanOrEqual(1);
    expect(counts.leads).toBe(counts.appointments);
    expect(await leadsWithoutAppointment(pool, [victim.orgId])).toBe(0);

    // The shared endpoint never stopped; the slot is booked at most once.
    const next = await postToFunction(bookingMessage(victim, { callId: 'after-crash-call', slot, caller: { name: 'Next Nadia', phone: '+15550640002' } }));
    expect(next.status).toBe(200);
    const answer = only(next.json).result ?? '';
    if (counts.appointments === 1) expect(answer.startsWith(SLOT_TAKEN_PREFIX)).toBe(true);
    else expect(answer).toMatch(BOOKED_LINE);
    expect(await rowCounts(pool, [victim.orgId])).toEqual({ leads: 1, appointments: 1 });
    expect(await leadsWithoutAppointment(pool, [victim.orgId])).toBe(0);
    expect(await overlappingAppointments(pool, [victim.orgId])).toBe(0);
  });
});
