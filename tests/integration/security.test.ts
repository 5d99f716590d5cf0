// Who may call what, and what may leak where: the endpoint's three credentials (secret header,
// Bearer, HMAC with freshness and replay protection), the gateway's grants on the booking
// RPCs, row-level security between clinics, and personal or cross-tenant data in answers
// and in the function's log.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createRequestVerifier, type HeaderSource } from '../../supabase/functions/_shared/auth.ts';
import { signJwt } from '../../scripts/lib/jwt.ts';
import { testPool } from '../support/db.ts';
import { postToFunction, resultsOf } from '../support/http.ts';
import { rawPost, type RawResponse } from '../support/raw-http.ts';
import { signedHeaders, vapiSignature } from '../support/hmac.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { bookingMessage, type Caller } from '../support/routing.ts';
import { rowCounts } from '../support/booking-rows.ts';
import { asApiRole, createClinicMember } from '../support/sql-as-user.ts';
import { callRpc, errorCodeOf } from '../support/gateway-rpc.ts';
import { readFunctionLog, waitForToolCallLines } from '../support/function-log.ts';
import { BOOKED_LINE, SLOT_TAKEN_PREFIX } from '../support/answers.ts';
import { book, bookingQuery } from '../../scripts/lib/fixtures/booking-call.ts';
import { createClinic, createClinics, type RoutedClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { localSlot } from '../../scripts/lib/fixtures/local-time.ts';
import { vapiToolCalls } from '../../scripts/lib/fixtures/vapi-message.ts';

const SECRET = requireStackValue('VAPI_SECRET');
const FUNCTION_URL = requireStackValue('FUNCTION_URL');
const UNAUTHORIZED = '{"error":"unauthorized"}';

/** Every caller this file books or tries to book: none of them may ever reach the log. */
const PEOPLE = {
  wrongSecret: { name: 'Bartholomew Wrongkey', phone: '+1 555 017 2233', email: 'bart.wrongkey@example.org' },
  rpc: { name: 'Rosalind Rpcaller', phone: '+15550174455', email: 'rosalind.rpc@example.org' },
  rlsA: { name: 'Alistair Rowlevel', phone: '+15550175511', email: 'alistair.rls@example.org' },
  rlsB: { name: 'Beatrix Rowlevel', phone: '+15550175522', email: 'beatrix.rls@example.org' },
  tenantA: { name: 'Zebediah Quillfeather', phone: '+1 (555) 013-4477', email: 'Zeb.Quill@Example.ORG' },
  tenantA2: { name: 'Ottoline Brackenbury', phone: '555.013.9911', email: 'ottoline.b@example.net' },
  tenantB: { name: 'Marisol Vantongeren', phone: '+15550137788', email: 'marisol.v@example.com' },
} satisfies Record<string, Caller & { email: string }>;

/** Every way a person's details could be written: as given, normalized, re-cased, in parts. */
function traces(person: Caller & { email: string }): string[] {
  const digits = person.phone.replace(/\D/g, '');
  const national = digits.slice(-10);
  return [
    person.name, person.name.toLowerCase(), person.name.toUpperCase(),
    ...person.name.split(' ').filter((part) => part.length >= 5),
    person.email, person.email.toLowerCase(), person.email.split('@')[0] ?? person.email,
    person.phone, `+${digits.length === 10 ? `1${digits}` : digits}`, national,
    `${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`,
  ];
}

const statusUpdate = (): string =>
  JSON.stringify({ message: { type: 'status-update', status: 'in-progress', call: { id: `sec-status-${randomUUID()}` } } });

function post(headers: ReadonlyArray<readonly [string, string]>, body: string = statusUpdate()): Promise<RawResponse> {
  return rawPost(FUNCTION_URL, [['content-type', 'application/json'], ...headers], body);
}

let pool: pg.Pool;
beforeAll(() => { pool = testPool(); });
afterAll(async () => { await pool.end(); });

describe('the endpoint accepts only our Vapi secret', () => {
  const inner = (at: number, ws: string): string => `${SECRET.slice(0, at)}${ws}${SECRET.slice(at)}`;
  const refused: Array<[string, Array<[string, string]>]> = [
    ['no credentials at all', []],
    ['a wrong x-vapi-secret', [['x-vapi-secret', 'not-the-secret']]],
    ['an empty x-vapi-secret', [['x-vapi-secret', '']]],
    ['the secret upper-cased', [['x-vapi-secret', SECRET.toUpperCase()]]],
    ['the secret with its first letter capitalized', [['x-vapi-secret', `${SECRET.charAt(0).toUpperCase()}${SECRET.slice(1)}`]]],
    ['the secret with a space inside', [['x-vapi-secret', inner(4, ' ')]]],
    ['the secret with a tab inside', [['x-vapi-secret', inner(4, '\t')]]],
    ['the secret followed by a tab and more', [['x-vapi-secret', `${SECRET}\tx`]]],
    ['the secret missing its last character', [['x-vapi-secret', SECRET.slice(0, -1)]]],
    ['the secret plus one character', [['x-vapi-secret', `${SECRET}0`]]],
    ['the secret sent twice (joined "a, a")', [['x-vapi-secret', SECRET], ['x-vapi-secret', SECRET]]],
    ['the secret in an unrelated header', [['x-api-key', SECRET]]],
    ['Authorization: Bearer <wrong>', [['authorization', 'Bearer not-the-secret']]],
    ['Authorization: Bearer <upper-cased secret>', [['authorization', `Bearer ${SECRET.toUpperCase()}`]]],
    ['Authorization: Bearer with two spaces', [['authorization', `Bearer  ${SECRET}`]]],
    ['Authorization: Bearer <secret> extra', [['authorization', `Bearer ${SECRET} extra`]]],
    ['Authorization: Basic <secret>', [['authorization', `Basic ${SECRET}`]]],
    ['Authorization: <secret> without a scheme', [['authorization', SECRET]]],
    ['a wrong secret next to a wrong Bearer', [['x-vapi-secret', 'nope'], ['authorization', 'Bearer nope']]],
  ];
  it.each(refused)('401 without detail for %s', async (_label, headers) => {
    const reply = await post(headers);
    expect(reply.status).toBe(401);
    expect(reply.text).toBe(UNAUTHORIZED);
  });

  const accepted: Array<[string, Array<[string, string]>]> = [
    ['x-vapi-secret', [['x-vapi-secret', SECRET]]],
    ['X-VAPI-SECRET (header names are case-insensitive)', [['X-VAPI-SECRET', SECRET]]],
    ['Authorization: Bearer <secret>', [['authorization', `Bearer ${SECRET}`]]],
    ['Authorization: bearer <secret> (the scheme is case-insensitive)', [['authorization', `bearer ${SECRET}`]]],
    ['a wrong x-vapi-secret next to a good Bearer', [['x-vapi-secret', 'nope'], ['authorization', `Bearer ${SECRET}`]]],
  ];
  it.each(accepted)('200 for %s', async (_label, headers) => {
    const reply = await post(headers);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{}');
  });

  it('padding around the secret is refused by the verifier (HTTP strips it before any code sees it)', async () => {
    // Field values lose surrounding whitespace in every HTTP parser (RFC 9110 §5.5), so padding
    // cannot be sent to the running function: the deployed verifier is checked directly.
    const verify = createRequestVerifier({ secret: SECRET });
    const raw = (name: string, value: string): HeaderSource => ({ get: (key: string) => (key.toLowerCase() === name ? value : null) });
    for (const padded of [` ${SECRET}`, `${SECRET} `, `\t${SECRET}`, `${SECRET}\t`, `${SECRET}\n`, `\u00a0${SECRET}`, `${SECRET}\u200b`]) {
      expect(await verify(raw('x-vapi-secret', padded), '{}'), JSON.stringify(padded)).toBe(false);
      expect(await verify(raw('authorization', `Bearer ${padded}`), '{}'), JSON.stringify(padded)).toBe(false);
    }
    expect(await verify(raw('x-vapi-secret', SECRET), '{}')).toBe(true);
    expect(await verify(raw('authorization', `Bearer ${SECRET}`), '{}')).toBe(true);
  });

  it('a booking with a wrong secret is refused before it touches the database', async () => {
    const org = await createClinic(pool, { name: 'Wrong Secret Clinic', routes: true });
    const slot = await localSlot(pool, org.timeZone, 4, '10:00');
    const body = JSON.stringify(bookingMessage(org, { callId: 'sec-wrong-secret', slot, caller: PEOPLE.wrongSecret }));
    expect((await post([['x-vapi-secret', `${SECRET}x`]], body)).status).toBe(401);
    expect((await post([['authorization', 'Bearer wrong']], body)).status).toBe(401);
    expect(await rowCounts(pool, [org.orgId])).toEqual({ leads: 0, appointments: 0 });
    // The same body with the right secret books: the refusals above were about the secret only.
    const accepted = await post([['x-vapi-secret', SECRET]], body);
    expect(resultsOf(JSON.parse(accepted.text))[0]?.result).toMatch(BOOKED_LINE);
    expect(await rowCounts(pool, [org.orgId])).toEqual({ leads: 1, appointments: 1 });
  });
});

describe('HMAC-signed requests', () => {
  const nowSeconds = (): number => Math.floor(Date.now() / 1000);

  it('a valid signature with a timestamp in seconds → 200', async () => {
    const body = statusUpdate();
    expect((await post(Object.entries(signedHeaders(SECRET, body)), body)).status).toBe(200);
  });

  it('a valid signature with a timestamp in milliseconds → 200', async () => {
    const body = statusUpdate();
    expect((await post(Object.entries(signedHeaders(SECRET, body, String(Date.now()))), body)).status).toBe(200);
  });

  it('a valid signature written as sha256=<hex> → 200', async () => {
    const body = statusUpdate();
    const ts = String(nowSeconds());
    expect((await post([['x-timestamp', ts], ['x-signature', `sha256=${vapiSignature(SECRET, ts, body)}`]], body)).status).toBe(200);
  });

  const bad: Array<[string, (body: string) => Array<[string, string]>]> = [
    ['signed with another secret', (body) => Object.entries(signedHeaders(`${SECRET}-other`, body))],
    ['signed with the upper-cased secret', (body) => Object.entries(signedHeaders(SECRET.toUpperCase(), body))],
    ['signed over another body', (body) => Object.entries(signedHeaders(SECRET, `${body} `))],
    ['signed over the body without the timestamp', (body) => [['x-timestamp', String(nowSeconds())], ['x-signature', createHmac('sha256', SECRET).update(body).digest('hex')]]],
    ['signed for another timestamp', (body) => [['x-timestamp', String(nowSeconds())], ['x-signature', vapiSignature(SECRET, String(nowSeconds() - 1), body)]]],
    ['a truncated signature', (body) => {
      const h = signedHeaders(SECRET, body);
      return [['x-timestamp', h['x-timestamp']], ['x-signature', h['x-signature'].slice(0, 63)]];
    }],
    ['a signature that is not hex', () => [['x-timestamp', String(nowSeconds())], ['x-signature', 'z'.repeat(64)]]],
    ['an empty signature', () => [['x-timestamp', String(nowSeconds())], ['x-signature', '']]],
    ['a signature without x-timestamp', (body) => [['x-signature', signedHeaders(SECRET, body)['x-signature']]]],
    ['a stale timestamp (1 h old, seconds)', (body) => Object.entries(signedHeaders(SECRET, body, String(nowSeconds() - 3600)))],
    ['a stale timestamp (1 h old, milliseconds)', (body) => Object.entries(signedHeaders(SECRET, body, String(Date.now() - 3_600_000)))],
    ['a timestamp 1 h in the future', (body) => Object.entries(signedHeaders(SECRET, body, String(nowSeconds() + 3600)))],
    ['a timestamp that is not digits', (body) => Object.entries(signedHeaders(SECRET, body, `${nowSeconds()}.0`))],
    ['a negative timestamp', (body) => Object.entries(signedHeaders(SECRET, body, `-${nowSeconds()}`))],
  ];
  it.each(bad)('401 for %s', async (_label, headers) => {
    const body = statusUpdate();
    const reply = await post(headers(body), body);
    expect(reply.status).toBe(401);
    expect(reply.text).toBe(UNAUTHORIZED);
  });

  it('the same signed request twice: the replay is refused', async () => {
    const body = statusUpdate();
    const headers = Object.entries(signedHeaders(SECRET, body));
    expect((await post(headers, body)).status).toBe(200);
    const replay = await post(headers, body);
    expect(replay.status).toBe(401);
    expect(replay.text).toBe(UNAUTHORIZED);
  });
});

describe('the booking RPCs through the gateway', () => {
  let orgId: string;
  let memberJwt: string;
  let slot: Date;
  beforeAll(async () => {
    const clinic = await createClinic(pool, { name: 'Rpc Grants Clinic' });
    orgId = clinic.orgId;
    slot = await localSlot(pool, clinic.timeZone, 4, '11:00');
    const member = await createClinicMember(pool, orgId, 'owner');
    memberJwt = await signJwt({ role: 'authenticated', sub: member, aud: 'authenticated' }, requireStackValue('JWT_SECRET'), '1h');
  });

  const calls: Array<[string, () => Record<string, unknown>]> = [
    ['book_appointment_atomic', () => ({
      p_org_id: orgId, p_name: PEOPLE.rpc.name, p_email: PEOPLE.rpc.email, p_phone: PEOPLE.rpc.phone,
      p_service_type: 'checkup', p_scheduled_at: slot.toISOString(), p_duration_minutes: 30, p_idempotency_key: 'sec-rpc',
    })],
    ['check_availability', () => ({ p_org_id: orgId, p_date: slot.toISOString().slice(0, 10), p_duration_minutes: 30 })],
    ['resolve_booking_org', () => ({ p_org_id: orgId })],
  ];

  it.each(calls)('%s: anon 401 and a clinic member 403 (42501); the service role may', async (fn, args) => {
    const before = await rowCounts(pool, [orgId]);
    const anon = await callRpc(fn, args(), requireStackValue('ANON_KEY'));
    expect(anon.status).toBe(401);
    expect(errorCodeOf(anon)).toBe('42501');
    const member = await callRpc(fn, args(), memberJwt);
    expect(member.status).toBe(403);
    expect(errorCodeOf(member)).toBe('42501');
    expect(await rowCounts(pool, [orgId])).toEqual(before);

    const service = await callRpc(fn, args(), requireStackValue('SERVICE_ROLE_KEY'));
    expect(service.status).toBe(200);
    if (fn === 'resolve_booking_org') expect(service.body).toMatchObject({ org_id: orgId });
    else expect(service.body).toMatchObject({ success: true });
  });
});

describe('row-level security between clinics (SQL as the authenticated role)', () => {
  let orgA: string;
  let orgB: string;
  let memberA: string;
  let leadB: string;
  let slot: Date;

  beforeAll(async () => {
    const [a, b] = await createClinics(pool, [{ name: 'Rls Clinic A' }, { name: 'Rls Clinic B' }]);
    orgA = a!.orgId;
    orgB = b!.orgId;
    slot = await localSlot(pool, a!.timeZone, 4, '12:00');
    const visit = { serviceType: 'checkup', scheduledAt: slot, durationMinutes: 30 };
    await book(pool, orgA, { ...PEOPLE.rlsA, ...visit });
    leadB = (await book<{ contact_id?: string }>(pool, orgB, { ...PEOPLE.rlsB, ...visit })).contact_id ?? '';
    memberA = await createClinicMember(pool, orgA);
    await createClinicMember(pool, orgB);
  });

  async function snapshotB(): Promise<unknown> {
    const { rows } = await pool.query(
      `select l.id, l.name, l.email, l.phone, l.status, a.id as appointment, a.status as appointment_status, a.scheduled_at
       from public.leads l join public.appointments a on a.lead_id = l.id where l.org_id = $1 order by l.id`,
      [orgB],
    );
    return rows;
  }

  it("a member of clinic A sees only A's leads, appointments and clinic", async () => {
    await asApiRole(pool, 'authenticated', { sub: memberA }, async (s) => {
      const leads = await s.query<{ org_id: string; name: string }>('select org_id, name from public.leads');
      expect(leads.rows.map((r) => r.org_id)).toEqual([orgA]);
      expect(leads.rows[0]?.name).toBe(PEOPLE.rlsA.name);
      const appointments = await s.query<{ org_id: string }>('select org_id from public.appointments');
      expect(appointments.rows.map((r) => r.org_id)).toEqual([orgA]);
      const orgs = await s.query<{ id: string }>('select id from public.organizations');
      expect(orgs.rows.map((r) => r.id)).toEqual([orgA]);
      expect((await s.query('select 1 from public.leads where org_id = $1 or id = $2', [orgB, leadB])).rowCount).toBe(0);
      expect((await s.query('select 1 from public.organization_members where org_id = $1', [orgB])).rowCount).toBe(0);
    });
  });

  it("a member of clinic A cannot change clinic B's rows or move rows into B", async () => {
    const before = await snapshotB();
    await asApiRole(pool, 'authenticated', { sub: memberA }, async (s) => {
      expect((await s.query(`update public.leads set name = 'Hijacked' where org_id = $1`, [orgB])).rowCount).toBe(0);
      expect((await s.query(`update public.appointments set status = 'cancelled' where org_id = $1`, [orgB])).rowCount).toBe(0);
      expect((await s.query('delete from public.appointments where org_id = $1', [orgB])).rowCount).toBe(0);
      expect((await s.query('delete from public.leads where id = $1', [leadB])).rowCount).toBe(0);
      expect(await s.errorCode(`insert into public.leads (org_id, name, phone) values ($1, 'Planted Lead', '+15550179999')`, [orgB])).toBe('42501');
      expect(await s.errorCode(
        `insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
         values ($1, $2, 'checkup', now() + interval '30 days', now() + interval '30 days 30 minutes', 30)`,
        [orgB, leadB],
      )).toBe('42501');
      expect(await s.errorCode('update public.leads set org_id = $1 where org_id = $2', [orgB, orgA])).toBe('42501');
      expect(await s.errorCode(`update public.organizations set name = 'Taken Over' where id = $1`, [orgB])).toBeNull();
    });
    expect(await snapshotB()).toEqual(before);
    const { rows } = await pool.query<{ name: string }>('select name from public.organizations where id = $1', [orgB]);
    expect(rows[0]?.name).toBe('Rls Clinic B');
  });

  it('a member cannot call the booking RPCs at all, not even for their own clinic; anon reads nothing', async () => {
    await asApiRole(pool, 'authenticated', { sub: memberA }, async (s) => {
      const own = bookingQuery(orgA, { name: 'Member Booking', email: null, phone: '+15550178888', serviceType: 'checkup', scheduledAt: new Date(slot.getTime() + 86_400_000), durationMinutes: 30 });
      expect(await s.errorCode(own.text, own.values)).toBe('42501');
      expect(await s.errorCode('select public.check_availability($1, current_date + 5, 30)', [orgA])).toBe('42501');
      expect(await s.errorCode('select public.resolve_booking_org(null, null, $1)', [orgA])).toBe('42501');
    });
    await asApiRole(pool, 'anon', {}, async (s) => {
      expect(await s.errorCode('select 1 from public.leads')).toBe('42501');
      expect(await s.errorCode('select 1 from public.appointments')).toBe('42501');
    });
    expect(await rowCounts(pool, [orgA])).toEqual({ leads: 1, appointments: 1 });
  });
});

describe("no other tenant's data and no personal data in answers or logs", () => {
  let a: RoutedClinic;
  let b: RoutedClinic;
  let slot: Date;
  const answersToB: string[] = [];
  const toolCallIds: string[] = [];

  beforeAll(async () => {
    a = await createClinic(pool, { name: 'Tenant A Clinic', routes: true });
    b = await createClinic(pool, { name: 'Tenant B Clinic', routes: true });
    slot = await localSlot(pool, a.timeZone, 3, '06:00'); // the first slot of the day in both clinics
  });

  async function ask(org: RoutedClinic, callId: string, toolCallId: string, name: string, args: Record<string, unknown>): Promise<{ text: string; answer: string }> {
    toolCallIds.push(toolCallId);
    const reply = await postToFunction(vapiToolCalls([{ id: toolCallId, name, arguments: args }], { id: callId, assistantId: org.assistantId }));
    expect(reply.status).toBe(200);
    const [first] = resultsOf(reply.json);
    return { text: reply.text, answer: first?.result ?? first?.error ?? '' };
  }

  const book = (org: RoutedClinic, callId: string, toolCallId: string, caller: Caller & { email: string }) =>
    ask(org, callId, toolCallId, 'bookClinicAppointment', { name: caller.name, phone: caller.phone, email: caller.email, serviceType: 'checkup', scheduledAt: slot.toISOString() });

  it("clinic B, booking the slot clinic A holds and even reusing A's call id, hears nothing of A", async () => {
    const first = await book(a, 'shared-call-id', 'sec-tenant-a-1', PEOPLE.tenantA);
    expect(first.answer).toMatch(BOOKED_LINE);

    const taken = await book(a, 'sec-call-a2', 'sec-tenant-a-2', PEOPLE.tenantA2);
    expect(taken.answer.startsWith(SLOT_TAKEN_PREFIX)).toBe(true);
    for (const trace of traces(PEOPLE.tenantA)) expect(taken.text).not.toContain(trace);

    const day = slot.toISOString().slice(0, 10);
    const availabilityA = await ask(a, 'sec-call-a3', 'sec-tenant-a-3', 'checkAvailability', { date: day });
    expect(availabilityA.answer).not.toContain(' 6:00 AM');
    const availabilityB = await ask(b, 'sec-call-b1', 'sec-tenant-b-1', 'checkAvailability', { date: day });
    expect(availabilityB.answer).toContain(' 6:00 AM'); // A's booking does not show in B's diary
    const bookedB = await book(b, 'shared-call-id', 'sec-tenant-b-2', PEOPLE.tenantB);
    expect(bookedB.answer).toMatch(BOOKED_LINE);
    answersToB.push(availabilityB.text, bookedB.text);

    const { rows } = await pool.query<{ org_id: string; appointment: string; lead: string; name: string; email: string; phone: string }>(
      `select a.org_id, a.id as appointment, l.id as lead, l.name, l.email, l.phone
       from public.appointments a join public.leads l on l.id = a.lead_id where a.org_id = any($1)`,
      [[a.orgId, b.orgId]],
    );
    const ofA = rows.filter((r) => r.org_id === a.orgId);
    const ofB = rows.filter((r) => r.org_id === b.orgId);
    expect(ofA.map((r) => [r.name, r.email, r.phone])).toEqual([[PEOPLE.tenantA.name, PEOPLE.tenantA.email.toLowerCase(), '+15550134477']]);
    expect(ofB.map((r) => [r.name, r.email, r.phone])).toEqual([[PEOPLE.tenantB.name, PEOPLE.tenantB.email, PEOPLE.tenantB.phone]]);

    const secretsOfA = [a.orgId, a.assistantId, ...ofA.flatMap((r) => [r.appointment, r.lead]), ...traces(PEOPLE.tenantA), ...traces(PEOPLE.tenantA2)];
    for (const text of answersToB) {
      for (const secret of secretsOfA) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });

  it('the function log has a line per tool call and none of the names, phones, emails or the secret', async () => {
    const lines = await waitForToolCallLines(0, toolCallIds.length, (line) => toolCallIds.includes(line.toolCallId));
    expect(new Set(lines.map((line) => line.toolCallId))).toEqual(new Set(toolCallIds));

    const log = readFunctionLog();
    expect(log).not.toContain(SECRET);
    for (const person of Object.values(PEOPLE)) {
      for (const trace of traces(person)) expect(log.toLowerCase(), `log contains ${trace}`).not.toContain(trace.toLowerCase());
    }
  });
});
