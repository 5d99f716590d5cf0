// The supabase-js wrapper against a fake fetch: the exact RPC it sends (one call, named
// arguments, service-role key) and how it reads — or refuses — what comes back.
import { describe, expect, it } from 'vitest';
import { createBookingDatabase, DatabaseUnavailableError } from '../../supabase/functions/_shared/booking-db.ts';

// supabase-js refuses to construct its (unused) realtime client on Node 20, which has no global
// WebSocket; Deno — where the function runs — has one. A stub that can never connect is enough.
if (typeof globalThis.WebSocket === 'undefined') {
  Object.defineProperty(globalThis, 'WebSocket', {
    configurable: true,
    value: class { constructor() { throw new Error('realtime is not used by vapi-booking'); } },
  });
}

interface Seen { url: string; method: string; headers: Headers; body: unknown }

function fakeFetch(reply: (seen: Seen) => Response | Promise<Response>): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const entry = { url: request.url, method: request.method, headers: request.headers, body: JSON.parse(await request.text()) as unknown };
    seen.push(entry);
    return reply(entry);
  };
  return { fetch: fn as typeof fetch, seen };
}

const ok = (body: unknown): Response => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const BOOKING = {
  orgId: 'a0000000-0000-0000-0000-000000000001', name: 'Ann Lee', email: undefined, phone: '+15550100001',
  serviceType: 'checkup', start: new Date('2027-01-05T15:00:00Z'), durationMinutes: 30, idempotencyKey: 'vapi:abc',
};

describe('createBookingDatabase', () => {
  it('books with ONE rpc call carrying the named arguments and the service-role key', async () => {
    const { fetch, seen } = fakeFetch(() => ok({ success: true, appointment_id: 'ap', contact_id: 'ld', scheduled_at: '2027-01-05T15:00:00+00:00', ends_at: '2027-01-05T15:30:00+00:00', replayed: true }));
    const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'svc-key', rpcTimeoutMs: 1000, fetch });
    const outcome = await db.book(BOOKING);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('http://gw.local/rest/v1/rpc/book_appointment_atomic');
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers.get('apikey')).toBe('svc-key');
    expect(seen[0]?.body).toEqual({
      p_org_id: BOOKING.orgId, p_name: 'Ann Lee', p_email: '', p_phone: '+15550100001', p_service_type: 'checkup',
      p_scheduled_at: '2027-01-05T15:00:00.000Z', p_duration_minutes: 30, p_idempotency_key: 'vapi:abc',
    });
    expect(outcome).toEqual({ success: true, appointmentId: 'ap', contactId: 'ld', start: new Date('2027-01-05T15:00:00Z'), end: new Date('2027-01-05T15:30:00Z'), replayed: true });
  });

  it('returns business refusals with their alternatives as dates', async () => {
    const { fetch } = fakeFetch(() => ok({ success: false, error: 'SLOT_UNAVAILABLE', message: 'x', alternatives: ['2027-01-05T16:00:00+00:00'] }));
    const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 1000, fetch });
    expect(await db.book(BOOKING)).toEqual({ success: false, code: 'SLOT_UNAVAILABLE', alternatives: [new Date('2027-01-05T16:00:00Z')] });
  });

  it('turns PostgREST errors, odd replies, network failures and timeouts into DatabaseUnavailableError', async () => {
    const replies: Array<() => Response | Promise<Response>> = [
      () => new Response(JSON.stringify({ code: 'PGRST000', message: 'db down', details: null, hint: null }), { status: 503 }),
      () => ok({ success: 'maybe' }),
      () => { throw new TypeError('fetch failed'); },
      () => new Promise<Response>(() => undefined), // never answers: the deadline must fire
    ];
    for (const reply of replies) {
      const { fetch } = fakeFetch(reply);
      const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 50, fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
        // Honour the abort signal the way a real fetch does.
        const signal = init?.signal;
        return new Promise<Response>((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          fetch(input, init).then(resolve, reject);
        });
      }) as typeof globalThis.fetch });
      await expect(db.book(BOOKING)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    }
  });

  it('resolves an org from routing ids and reads a miss as null', async () => {
    const { fetch, seen } = fakeFetch((s) => ok((s.body as { p_assistant_id?: string }).p_assistant_id === 'known'
      ? { org_id: 'o1', timezone: 'Europe/London', default_country: 'GB', default_duration_minutes: 45 } : null));
    const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 1000, fetch });
    expect(await db.resolveOrg({ assistantId: 'known' })).toEqual({
      orgId: 'o1', timeZone: 'Europe/London', defaultCountry: 'GB', defaultDurationMinutes: 45, horizonDays: 365, businessHours: [], practitioners: [], services: [],
    });
    expect(await db.resolveOrg({ assistantId: 'other', phoneNumberId: 'pn' })).toBeNull();
    expect(seen[1]?.body).toEqual({ p_assistant_id: 'other', p_phone_number_id: 'pn' });
  });

  it('reads {"route_mismatch": true} as a mismatch (never as a clinic), even with extra fields', async () => {
    for (const reply of [{ route_mismatch: true }, { route_mismatch: true, org_id: 'o1', timezone: 'UTC', default_country: 'US', default_duration_minutes: 30 }]) {
      const { fetch } = fakeFetch(() => ok(reply));
      const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 1000, fetch });
      expect(await db.resolveOrg({ assistantId: 'asst-a', phoneNumberId: 'pn-c' })).toEqual({ routeMismatch: true });
    }
    const { fetch } = fakeFetch(() => ok({ route_mismatch: false }));
    const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 1000, fetch });
    await expect(db.resolveOrg({ assistantId: 'a' })).rejects.toMatchObject({ kind: 'unexpected_reply' });
  });

  const pgrst = (status: number, code: string): (() => Response) => () =>
    new Response(JSON.stringify({ code, message: 'm', details: null, hint: null }), { status, headers: { 'content-type': 'application/json' } });

  it.each([
    ['lock_not_available', pgrst(500, '55P03'), { kind: 'timeout', code: '55P03', httpStatus: 500 }],
    ['statement timeout', pgrst(500, '57014'), { kind: 'timeout', code: '57014', httpStatus: 500 }],
    ['serialization failure', pgrst(500, '40001'), { kind: 'timeout', code: '40001' }],
    ['deadlock', pgrst(500, '40P01'), { kind: 'timeout', code: '40P01' }],
    ['PostgREST pool timeout', pgrst(504, 'PGRST003'), { kind: 'timeout', code: 'PGRST003', httpStatus: 504 }],
    ['missing grant', pgrst(403, '42501'), { kind: 'unexpected_reply', code: '42501', httpStatus: 403 }],
    ['renamed RPC', pgrst(404, 'PGRST202'), { kind: 'unexpected_reply', code: 'PGRST202', httpStatus: 404 }],
    ['database down', pgrst(503, 'PGRST000'), { kind: 'unreachable', code: 'PGRST000', httpStatus: 503 }],
    ['a proxy in front of it', () => new Response('<html>bad gateway</html>', { status: 502 }), { kind: 'unreachable', code: undefined, httpStatus: 502 }],
    ['a reply of the wrong shape', () => ok({ success: true, appointment_id: 7 }), { kind: 'unexpected_reply', code: undefined, detail: 'reply.appointment_id did not match' }],
    ['a refused connection', () => { throw new TypeError('fetch failed'); }, { kind: 'unreachable', code: undefined }],
  ] as Array<[string, () => Response, Record<string, unknown>]>)('classifies %s with its kind and code', async (_label, reply, expected) => {
    const { fetch } = fakeFetch(reply);
    const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 1000, fetch });
    const error: unknown = await db.book(BOOKING).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error).toMatchObject(expected);
  });

  it('gives an RPC the budget it is handed (never more than its own cap) and calls running out of it a timeout', async () => {
    const { fetch } = fakeFetch(() => new Promise<Response>(() => undefined));
    const honouring = ((input: RequestInfo | URL, init?: RequestInit) => new Promise<Response>((resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      fetch(input, init).then(resolve, reject);
    })) as typeof globalThis.fetch;
    const db = createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 60_000, fetch: honouring });
    const started = performance.now();
    await expect(db.book(BOOKING, { timeoutMs: 30 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('createBookingDatabase: the receptionist RPCs (docs/receptionist-calls.md)', () => {
  const ORG_ID = 'a0000000-0000-0000-0000-000000000001';
  const database = (reply: (seen: Seen) => Response) => {
    const { fetch, seen } = fakeFetch(reply);
    return { db: createBookingDatabase({ supabaseUrl: 'http://gw.local', serviceRoleKey: 'k', rpcTimeoutMs: 1000, fetch }), seen };
  };
  const APPOINTMENT = { appointment_id: 'ap1', scheduled_at: '2027-01-05T15:00:00+00:00', ends_at: '2027-01-05T15:45:00+00:00', service_type: 'assessment', practitioner: 'Dr. Anna Lee' };

  it('reads practitioners and services from resolve_booking_org, and defaults them to [] for today\'s replies', async () => {
    const base = { org_id: 'o1', timezone: 'America/Chicago', default_country: 'US', default_duration_minutes: 30 };
    const withLists = database(() => ok({ ...base,
      practitioners: [{ id: 'p1', name: 'Dr. Anna Lee' }],
      services: [{ name: 'sports massage', aliases: ['massage'], duration_minutes: 60 }, { name: 'follow-up', duration_minutes: 30 }] }));
    expect(await withLists.db.resolveOrg({ assistantId: 'a' })).toMatchObject({
      practitioners: [{ id: 'p1', name: 'Dr. Anna Lee' }],
      services: [{ name: 'sports massage', aliases: ['massage'], durationMinutes: 60 }, { name: 'follow-up', aliases: [], durationMinutes: 30 }],
    });
    const today = database(() => ok(base));
    expect(await today.db.resolveOrg({ assistantId: 'a' })).toMatchObject({ practitioners: [], services: [] });
    const odd = database(() => ok({ ...base, practitioners: [{ id: 'p1' }] }));
    await expect(odd.db.resolveOrg({ assistantId: 'a' })).rejects.toMatchObject({ kind: 'unexpected_reply' });
  });

  it('book sends p_practitioner_id only when one was named (the classic call stays eight arguments)', async () => {
    const { db, seen } = database(() => ok({ success: true, appointment_id: 'ap', contact_id: 'ld', scheduled_at: '2027-01-05T15:00:00Z', ends_at: '2027-01-05T15:30:00Z' }));
    await db.book(BOOKING);
    await db.book({ ...BOOKING, practitionerId: 'p1' });
    expect(Object.keys(seen[0]?.body as object)).not.toContain('p_practitioner_id');
    expect(seen[1]?.body).toMatchObject({ p_practitioner_id: 'p1' });
  });

  it('find_appointments: one call with the caller\'s phone (and name only when given); summaries as dates', async () => {
    const { db, seen } = database(() => ok({ success: true, appointments: [APPOINTMENT, { ...APPOINTMENT, appointment_id: 'ap2', practitioner: null }] }));
    const found = await db.findAppointments(ORG_ID, { phone: '+15550100001', name: undefined });
    await db.findAppointments(ORG_ID, { phone: '+15550100002', name: 'Mary Smith' });
    expect(seen.map((s) => [s.url, s.body])).toEqual([
      ['http://gw.local/rest/v1/rpc/find_appointments', { p_org_id: ORG_ID, p_phone: '+15550100001' }],
      ['http://gw.local/rest/v1/rpc/find_appointments', { p_org_id: ORG_ID, p_phone: '+15550100002', p_name: 'Mary Smith' }],
    ]);
    expect(found).toEqual({ success: true, appointments: [
      { appointmentId: 'ap1', start: new Date('2027-01-05T15:00:00Z'), end: new Date('2027-01-05T15:45:00Z'), serviceType: 'assessment', practitioner: 'Dr. Anna Lee' },
      { appointmentId: 'ap2', start: new Date('2027-01-05T15:00:00Z'), end: new Date('2027-01-05T15:45:00Z'), serviceType: 'assessment', practitioner: null },
    ] });
  });

  it('cancel_appointment: the day and success / replayed / AMBIGUOUS_APPOINTMENT with its list', async () => {
    const replies = [
      { success: true, appointment_id: 'ap1', scheduled_at: '2027-01-05T15:00:00Z', replayed: false },
      { success: true, appointment_id: 'ap1', scheduled_at: '2027-01-05T15:00:00Z', replayed: true },
      { success: false, error: 'AMBIGUOUS_APPOINTMENT', message: 'x', appointments: [APPOINTMENT] },
    ];
    const { db, seen } = database(() => ok(replies.shift()));
    const request = { orgId: ORG_ID, phone: '+15550100001', name: undefined, day: '2027-01-05' };
    expect(await db.cancelAppointment(request)).toEqual({ success: true, appointmentId: 'ap1', start: new Date('2027-01-05T15:00:00Z'), replayed: false });
    expect(await db.cancelAppointment(request)).toMatchObject({ success: true, replayed: true });
    expect(await db.cancelAppointment({ ...request, day: undefined })).toMatchObject({
      success: false, code: 'AMBIGUOUS_APPOINTMENT', appointments: [{ appointmentId: 'ap1', practitioner: 'Dr. Anna Lee' }],
    });
    expect(seen.map((s) => s.body)).toEqual([
      { p_org_id: ORG_ID, p_phone: '+15550100001', p_day: '2027-01-05' },
      { p_org_id: ORG_ID, p_phone: '+15550100001', p_day: '2027-01-05' },
      { p_org_id: ORG_ID, p_phone: '+15550100001' },
    ]);
  });

  it('reschedule_appointment: the new instant, the key, and SLOT_UNAVAILABLE with alternatives', async () => {
    const replies = [
      { success: true, appointment_id: 'ap9', scheduled_at: '2027-01-06T15:00:00Z', ends_at: '2027-01-06T15:30:00Z', replayed: false },
      { success: false, error: 'SLOT_UNAVAILABLE', message: 'x', alternatives: ['2027-01-06T15:30:00Z'] },
      { success: false, error: 'UNKNOWN_SERVICE', message: 'x', services: ['assessment'] },
    ];
    const { db, seen } = database(() => ok(replies.shift()));
    const request = { orgId: ORG_ID, phone: '+15550100001', name: 'Mary Smith', day: undefined, newStart: new Date('2027-01-06T15:00:00Z'), idempotencyKey: 'vapi:k' };
    expect(await db.rescheduleAppointment(request)).toEqual({ success: true, appointmentId: 'ap9', start: new Date('2027-01-06T15:00:00Z'), end: new Date('2027-01-06T15:30:00Z'), replayed: false });
    expect(await db.rescheduleAppointment(request)).toEqual({ success: false, code: 'SLOT_UNAVAILABLE', alternatives: [new Date('2027-01-06T15:30:00Z')] });
    expect(await db.rescheduleAppointment(request)).toEqual({ success: false, code: 'UNKNOWN_SERVICE', alternatives: [], services: ['assessment'] });
    expect(seen[0]?.url).toBe('http://gw.local/rest/v1/rpc/reschedule_appointment');
    expect(seen[0]?.body).toEqual({ p_org_id: ORG_ID, p_phone: '+15550100001', p_name: 'Mary Smith', p_new_start: '2027-01-06T15:00:00.000Z', p_idempotency_key: 'vapi:k' });
  });

  it('a find reply of the wrong shape is an unexpected reply, never a crash or an empty list', async () => {
    const { db } = database(() => ok({ success: true, appointments: [{ appointment_id: 'ap1', scheduled_at: 'soon' }] }));
    await expect(db.findAppointments(ORG_ID, { phone: '+15550100001', name: undefined })).rejects.toMatchObject({ kind: 'unexpected_reply' });
  });
});
