// The edge function over HTTP, running under Deno against the local gateway and database:
// every request shape of the design, every failure status, and one slot raced by 20 requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { testPool } from '../support/db.ts';
import { directCredential, postToFunction, resultsOf } from '../support/http.ts';
import { createClinic, type RoutedClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { localDate } from '../../scripts/lib/fixtures/local-time.ts';
import { vapiToolCalls } from '../../scripts/lib/fixtures/vapi-message.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { BOOKED_LINE, SLOT_TAKEN_PREFIX, TRY_AGAIN_LINE } from '../support/answers.ts';


describe('vapi-booking over HTTP', () => {
  let pool: pg.Pool;
  let clinic: RoutedClinic;
  let other: RoutedClinic;
  let day: string;
  let minutes = 6 * 60;
  /** A fresh 30-minute local slot on the test day for each booking, so tests never collide. */
  const nextTime = (): string => {
    const at = minutes;
    minutes += 30;
    return `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
  };
  const args = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    name: 'Pat Doe', phone: '+15550142000', serviceType: 'checkup', date: day, time: nextTime(), ...extra,
  });

  beforeAll(async () => {
    pool = testPool();
    clinic = await createClinic(pool, { name: 'HTTP Clinic', routes: true });
    other = await createClinic(pool, { name: 'HTTP Other Clinic', routes: true });
    day = await localDate(pool, clinic.timeZone, 12);
  });
  afterAll(async () => { await pool.end(); });

  const countAppointments = async (orgId: string): Promise<number> =>
    (await pool.query<{ n: number }>('select count(*)::int as n from public.appointments where org_id = $1', [orgId])).rows[0]?.n ?? -1;

  it('books from a tool-calls message and stores the caller normalized', async () => {
    const { status, json } = await postToFunction(vapiToolCalls(
      [{ id: 'tc-messy', arguments: args({ name: "jOHN o'brien", email: 'John@EX.com', phone: '(555) 444-3333' }) }],
      { assistantId: clinic.assistantId },
    ));
    expect(status).toBe(200);
    const [answer] = resultsOf(json);
    expect(answer?.toolCallId).toBe('tc-messy');
    expect(answer?.result).toMatch(BOOKED_LINE);
    const lead = await pool.query('select name, email, phone, status from public.leads where org_id = $1 and phone = $2', [clinic.orgId, '+15554443333']);
    expect(lead.rows).toEqual([{ name: "John O'Brien", email: 'john@ex.com', phone: '+15554443333', status: 'pending' }]);
  });

  it('reads toolWithToolCallList, legacy toolCalls, parameters and string arguments', async () => {
    const shapes = [
      { message: { type: 'tool-calls', call: { id: 'c-twtcl', assistantId: clinic.assistantId },
        toolWithToolCallList: [{ type: 'function', function: { name: 'bookClinicAppointment' },
          toolCall: { id: 'tc-twtcl', type: 'function', function: { name: 'bookClinicAppointment', arguments: args({ phone: '+15550142001' }) } } }] } },
      { message: { type: 'tool-calls', call: { id: 'c-legacy', assistantId: clinic.assistantId },
        toolCalls: [{ id: 'tc-legacy', type: 'function', function: { name: 'bookClinicAppointment', parameters: args({ phone: '+15550142002' }) } }] } },
      { message: { type: 'tool-calls', call: { id: 'c-string', assistantId: clinic.assistantId },
        toolCallList: [{ id: 'tc-string', type: 'function', function: { name: 'bookClinicAppointment', arguments: JSON.stringify(args({ phone: '+15550142003' })) } }] } },
    ];
    for (const body of shapes) {
      const { status, json } = await postToFunction(body);
      expect(status).toBe(200);
      expect(resultsOf(json)[0]?.result).toMatch(BOOKED_LINE);
    }
  });

  it('answers the legacy function-call message with {"result"}', async () => {
    const { status, json } = await postToFunction({ message: { type: 'function-call', call: { id: 'c-fc', assistantId: clinic.assistantId },
      functionCall: { name: 'bookClinicAppointment', parameters: args({ phone: '+15550142004' }) } } });
    expect(status).toBe(200);
    expect(Object.keys(json as object)).toEqual(['result']);
    expect((json as { result: string }).result).toMatch(BOOKED_LINE);
  });

  it('serves the plain direct-caller shape with an explicit org, under its own credential only', async () => {
    const direct = (phone: string) => ({ toolCallId: 'direct-1', tool: { name: 'bookClinicAppointment', arguments: args({ phone }) }, orgId: other.orgId });
    // The Vapi secret (header or Bearer) never lets a request name a clinic.
    const underVapiSecret = await postToFunction(direct('+15550142015'));
    const underVapiBearer = await postToFunction(direct('+15550142016'), { authorization: `Bearer ${requireStackValue('VAPI_SECRET')}` }, { secret: null });
    const wrongKey = await postToFunction(direct('+15550142017'), { 'x-booking-api-key': 'not-the-key-at-all-0000' }, { secret: null });
    // A right Vapi secret beside a wrong direct key does not rescue it.
    const mixed = await postToFunction(direct('+15550142018'), { 'x-booking-api-key': requireStackValue('VAPI_SECRET') });
    for (const refused of [underVapiSecret, underVapiBearer, wrongKey, mixed]) {
      expect([refused.status, refused.json]).toEqual([401, { error: 'unauthorized' }]);
    }
    expect(await countAppointments(other.orgId)).toBe(0);

    const { status, json } = await postToFunction(direct('+15550142005'), directCredential(), { secret: null });
    expect(status).toBe(200);
    expect(resultsOf(json)).toEqual([{ toolCallId: 'direct-1', result: expect.stringMatching(BOOKED_LINE) }]);
    expect(await countAppointments(other.orgId)).toBe(1);
    // And the direct key is not a Vapi credential: a Vapi message under it is refused.
    const vapiShape = await postToFunction(vapiToolCalls([{ id: 'tc-d', arguments: args({ phone: '+15550142019' }) }], { assistantId: clinic.assistantId }), directCredential(), { secret: null });
    expect(vapiShape.status).toBe(401);
  });

  it('answers several tool calls in order, an unknown tool as an error for that call only', async () => {
    const { json } = await postToFunction(vapiToolCalls([
      { id: 'a', name: 'checkAvailability', arguments: { date: day } },
      { id: 'b', name: 'orderPizza', arguments: {} },
      { id: 'c', arguments: args({ phone: '+15550142006' }) },
    ], { assistantId: clinic.assistantId }));
    const results = resultsOf(json);
    expect(results.map((r) => r.toolCallId)).toEqual(['a', 'b', 'c']);
    expect(results[0]?.result).toMatch(/^On .* I have .* free/);
    expect(results[1]).toEqual({ toolCallId: 'b', error: expect.any(String) });
    expect(results[2]?.result).toMatch(BOOKED_LINE);
  });

  it('answers other message types with 200 {}', async () => {
    for (const type of ['status-update', 'end-of-call-report', 'transcript', 'hang']) {
      const { status, json } = await postToFunction({ message: { type } });
      expect(status).toBe(200);
      expect(json).toEqual({});
    }
  });

  it('routes by the trusted assistant id, then the phone-number id — never by arguments', async () => {
    const before = await countAppointments(other.orgId);
    const { json } = await postToFunction(vapiToolCalls(
      [{ id: 'tc-route', arguments: args({ phone: '+15550142007', orgId: other.orgId, org_id: other.orgId }) }],
      { assistantId: clinic.assistantId },
    ));
    expect(resultsOf(json)[0]?.result).toMatch(BOOKED_LINE);
    expect(await countAppointments(other.orgId)).toBe(before);
    const byPhoneNumber = await postToFunction({ message: { type: 'tool-calls', call: { id: 'c-pn', phoneNumberId: other.phoneNumberId },
      toolCallList: [{ id: 'tc-pn', function: { name: 'bookClinicAppointment', arguments: args({ phone: '+15550142008' }) } }] } });
    expect(resultsOf(byPhoneNumber.json)[0]?.result).toMatch(BOOKED_LINE);
    expect(await countAppointments(other.orgId)).toBe(before + 1);
  });

  it('an unrouted assistant gets a clear error and books nothing', async () => {
    const { status, json } = await postToFunction(vapiToolCalls([{ id: 'tc-x', arguments: args() }], { assistantId: 'asst-unknown' }));
    expect(status).toBe(200);
    expect(resultsOf(json)[0]).toEqual({ toolCallId: 'tc-x', error: expect.stringMatching(/can't book appointments on this line/) });
  });

  it('falls back to the caller id when the model gave no phone', async () => {
    const { json } = await postToFunction(vapiToolCalls(
      [{ id: 'tc-cid', arguments: { name: 'Cal Ler', serviceType: 'checkup', date: day, time: nextTime() } }],
      { assistantId: clinic.assistantId, customer: { number: '+15550142009' } },
    ));
    expect(resultsOf(json)[0]?.result).toMatch(BOOKED_LINE);
    const lead = await pool.query('select 1 from public.leads where org_id = $1 and phone = $2', [clinic.orgId, '+15550142009']);
    expect(lead.rowCount).toBe(1);
  });

  it('bad input gets a speakable answer, not an error status', async () => {
    const { status, json } = await postToFunction(vapiToolCalls([
      { id: 'p', arguments: args({ phone: 'not a phone' }) },
      { id: 'd', arguments: args({ date: 'the day after never', time: undefined }) },
      { id: 'n', arguments: args({ name: '' }) },
    ], { assistantId: clinic.assistantId }));
    expect(status).toBe(200);
    const results = resultsOf(json);
    expect(results[0]?.result).toMatch(/didn't catch a valid phone number/);
    expect(results[1]?.result).toMatch(/didn't catch a valid date/);
    expect(results[2]?.result).toMatch(/didn't catch a valid name/);
  });

  it('a Vapi retry of the same call (new toolCallId) books once and says booked again', async () => {
    const time = nextTime();
    const call = { id: 'call-retry-1', assistantId: clinic.assistantId };
    const first = await postToFunction(vapiToolCalls([{ id: 'tc-first', arguments: args({ phone: '+15550142010', time }) }], call));
    const retry = await postToFunction(vapiToolCalls([{ id: 'tc-second', arguments: args({ phone: '+15550142010', time }) }], call));
    expect(resultsOf(first.json)[0]?.result).toMatch(BOOKED_LINE);
    expect(resultsOf(retry.json)[0]).toEqual({ toolCallId: 'tc-second', result: resultsOf(first.json)[0]?.result });
    const rows = await pool.query('select count(*)::int as n from public.appointments a join public.leads l on l.id = a.lead_id where a.org_id = $1 and l.phone = $2', [clinic.orgId, '+15550142010']);
    expect(rows.rows[0].n).toBe(1);
  });

  it('a taken slot is refused with alternatives; another clinic books the same slot', async () => {
    const time = nextTime();
    await postToFunction(vapiToolCalls([{ id: 't1', arguments: args({ phone: '+15550142011', time }) }], { assistantId: clinic.assistantId }));
    const taken = await postToFunction(vapiToolCalls([{ id: 't2', arguments: args({ phone: '+15550142012', time }) }], { assistantId: clinic.assistantId }));
    expect(resultsOf(taken.json)[0]?.result).toMatch(/^That time is already taken\. The nearest free times? (is|are) .+\?$/);
    const elsewhere = await postToFunction(vapiToolCalls([{ id: 't3', arguments: args({ phone: '+15550142012', time }) }], { assistantId: other.assistantId }));
    expect(resultsOf(elsewhere.json)[0]?.result).toMatch(BOOKED_LINE);
  });

  it('20 concurrent requests for one slot: exactly one booked, 19 taken, no errors', async () => {
    const time = nextTime();
    const request = (i: number) => postToFunction(vapiToolCalls(
      [{ id: `race-${i}`, arguments: args({ name: `Racer ${i}`, phone: `+1555015${String(i).padStart(4, '0')}`, time }) }],
      { id: `race-call-${i}`, assistantId: clinic.assistantId },
    ));
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => request(i)));
    // At most 3 requests wait for one clinic's lock (docs/tenancy-and-waits.md); one that finds
    // the queue full before the winner committed hears TRY_AGAIN, and its retry is then taken.
    const replies = await Promise.all(first.map((r, i) => (resultsOf(r.json)[0]?.result === TRY_AGAIN_LINE ? request(i) : r)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const texts = replies.map((r) => resultsOf(r.json)[0]);
    expect(texts.filter((t) => t?.result && BOOKED_LINE.test(t.result))).toHaveLength(1);
    expect(texts.filter((t) => t?.result?.startsWith(SLOT_TAKEN_PREFIX))).toHaveLength(19);
    expect(texts.filter((t) => t?.error !== undefined)).toHaveLength(0);
  });

  describe('HTTP failures', () => {
    it('401 without detail for a missing or wrong secret; Bearer works', async () => {
      const body = vapiToolCalls([{ id: 'x', arguments: args() }], { assistantId: clinic.assistantId });
      for (const secret of [null, 'wrong-secret']) {
        const reply = await postToFunction(body, {}, { secret });
        expect(reply.status).toBe(401);
        expect(reply.json).toEqual({ error: 'unauthorized' });
      }
      const { requireStackValue } = await import('../support/stack-env.ts');
      const bearer = await postToFunction(vapiToolCalls([{ id: 'b', name: 'checkAvailability', arguments: { date: day } }], { assistantId: clinic.assistantId }),
        { authorization: `Bearer ${requireStackValue('VAPI_SECRET')}` }, { secret: null });
      expect(bearer.status).toBe(200);
    });

    it('405 for other methods, 400 for non-JSON, 413 over the body limit', async () => {
      expect((await postToFunction(null, {}, { method: 'GET' })).status).toBe(405);
      expect((await postToFunction(null, {}, { method: 'PUT', raw: '{}' })).status).toBe(405);
      const notJson = await postToFunction(null, {}, { raw: 'this is not json' });
      expect(notJson.status).toBe(400);
      expect(notJson.json).toEqual({ error: 'body must be JSON' });
      const huge = await postToFunction(null, {}, { raw: JSON.stringify({ message: { type: 'x', pad: 'x'.repeat(70_000) } }) });
      expect(huge.status).toBe(413);
    });
  });
});
