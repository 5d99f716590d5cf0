// The HTTP handler with a fake database and a pinned clock: statuses, response shapes, the
// choice of `result` vs `error`, org resolution from trusted ids only, and the log line.
import { describe, expect, it } from 'vitest';
import { createVapiHandler, type HandlerDeps } from '../../supabase/functions/_shared/handler.ts';
import type { BookingDatabase, BookingRequest, OrgContext, OrgLookup } from '../../supabase/functions/_shared/booking-db.ts';
import type { LogLine } from '../../supabase/functions/_shared/log.ts';
import { ONE_CALENDAR, RECEPTIONIST_RPCS_UNUSED } from '../support/fake-booking-db.ts';

const NOW = new Date('2026-03-02T15:00:00Z'); // a Monday, 10:00 in New York
const ORG: OrgContext = {
  orgId: 'org-ny', timeZone: 'America/New_York', defaultCountry: 'US', defaultDurationMinutes: 30, horizonDays: 365, ...ONE_CALENDAR,
  businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '06:00', closesAt: '20:00' })),
};

interface Harness { handle: (r: Request) => Promise<Response>; booked: BookingRequest[]; lookups: OrgLookup[]; logs: LogLine[] }

function harness(overrides: Partial<BookingDatabase> = {}, deps: Partial<HandlerDeps> = {}): Harness {
  const booked: BookingRequest[] = [];
  const lookups: OrgLookup[] = [];
  const logs: LogLine[] = [];
  const db: BookingDatabase = {
    resolveOrg: async () => ORG,
    book: async (request) => {
      booked.push(request);
      return { success: true, appointmentId: 'appt-1', contactId: 'lead-1', start: request.start, end: request.start, replayed: false };
    },
    checkAvailability: async () => ({ success: true, slots: [new Date('2026-03-05T14:00:00Z')] }),
    ...RECEPTIONIST_RPCS_UNUSED,
    ...overrides,
  };
  const handle = createVapiHandler({
    auth: {
      checkHeaders: async (headers) => {
        if (headers.get('x-booking-api-key') !== null) return headers.get('x-booking-api-key') === 'direct-right' ? 'direct' : 'refused';
        return headers.get('x-vapi-secret') === 'right' ? 'vapi' : 'refused';
      },
      checkSignature: async () => false,
    },
    db,
    resolveOrg: async (lookup) => { lookups.push(lookup); return lookup.assistantId === 'unknown' ? null : db.resolveOrg(lookup); },
    now: () => NOW,
    log: (line) => logs.push(line),
    maxBodyBytes: 2048,
    ...deps,
  });
  return { handle, booked, lookups, logs };
}

const post = (body: unknown, headers: Record<string, string> = { 'x-vapi-secret': 'right' }): Request =>
  new Request('http://local/functions/v1/vapi-booking', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

const bookArgs = { name: "jOHN o'brien", phone: '(555) 444-3333', email: 'John@EX.com', serviceType: 'consultation', date: '2026-03-05', time: '9:00 AM' };
const toolCalls = (calls: Array<{ id: string; name?: string; arguments?: unknown }>, call: Record<string, unknown> = { id: 'call-1', assistantId: 'asst-1' }) => ({
  message: { type: 'tool-calls', call, toolCallList: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name ?? 'bookClinicAppointment', arguments: c.arguments ?? bookArgs } })) },
});
const json = async (response: Response): Promise<unknown> => JSON.parse(await response.text());

describe('vapi-booking handler', () => {
  it('refuses other methods (405), oversized bodies (413), bad secrets (401) and non-JSON (400)', async () => {
    const { handle } = harness();
    const get = await handle(new Request('http://local/', { method: 'GET' }));
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await handle(post({ pad: 'x'.repeat(4000) }))).status).toBe(413);
    const wrong = await handle(post(toolCalls([{ id: 'a' }]), { 'x-vapi-secret': 'wrong' }));
    expect([wrong.status, await json(wrong)]).toEqual([401, { error: 'unauthorized' }]);
    expect((await handle(post('{not json'))).status).toBe(400);
  });

  it('streams bodies without a content-length and still enforces the limit', async () => {
    const { handle } = harness();
    const chunks = ['{"pad":"', 'x'.repeat(3000), '"}'];
    const stream = new ReadableStream<Uint8Array>({ start(c) { for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk)); c.close(); } });
    const request = new Request('http://local/', { method: 'POST', headers: { 'x-vapi-secret': 'right' }, body: stream, duplex: 'half' } as RequestInit & { duplex: 'half' });
    expect((await handle(request)).status).toBe(413);
  });

  it('books with normalized details, in the clinic time zone, and says it back', async () => {
    const { handle, booked } = harness();
    const response = await handle(post(toolCalls([{ id: 'tc-1' }])));
    expect(await json(response)).toEqual({ results: [{ toolCallId: 'tc-1', result: "You're booked for Thursday, March 5 at 9:00 AM." }] });
    expect(booked[0]).toMatchObject({
      orgId: 'org-ny', name: "John O'Brien", email: 'john@ex.com', phone: '+15554443333', serviceType: 'consultation',
      start: new Date('2026-03-05T14:00:00Z'), durationMinutes: 30,
    });
    expect(booked[0]?.idempotencyKey).toMatch(/^vapi:[0-9a-f]{64}$/);
  });

  it('gives a Vapi retry (same call, new toolCallId) the same idempotency key', async () => {
    const { handle, booked } = harness();
    await handle(post(toolCalls([{ id: 'first' }])));
    await handle(post(toolCalls([{ id: 'second' }])));
    await handle(post(toolCalls([{ id: 'third' }], { id: 'another-call', assistantId: 'asst-1' })));
    expect(booked[0]?.idempotencyKey).toBe(booked[1]?.idempotencyKey);
    expect(booked[2]?.idempotencyKey).not.toBe(booked[0]?.idempotencyKey);
  });

  it('resolves the clinic from the assistant / phone-number ids, never from arguments', async () => {
    const { handle, lookups } = harness();
    await handle(post(toolCalls([{ id: 'a', arguments: { ...bookArgs, orgId: 'attacker-org' } }], { id: 'c', phoneNumberId: 'pn-1' })));
    expect(lookups).toEqual([{ assistantId: undefined, phoneNumberId: 'pn-1' }]);
  });

  it('an unrouted call answers every tool call with an error and books nothing', async () => {
    const { handle, booked } = harness();
    const body = await json(await handle(post(toolCalls([{ id: 'a' }, { id: 'b', name: 'checkAvailability', arguments: { date: 'March 5' } }], { id: 'c', assistantId: 'unknown' }))));
    expect((body as { results: Array<Record<string, string>> }).results.map((r) => Object.keys(r).sort())).toEqual([['error', 'toolCallId'], ['error', 'toolCallId']]);
    expect(booked).toHaveLength(0);
  });

  it('answers several calls in order; an unknown tool is an error for that call only', async () => {
    const { handle } = harness();
    const body = await json(await handle(post(toolCalls([
      { id: '1', name: 'checkAvailability', arguments: { date: 'March 5' } },
      { id: '2', name: 'launchRocket', arguments: {} },
      { id: '3' },
    ]))));
    expect(body).toEqual({ results: [
      { toolCallId: '1', result: 'On Thursday, March 5 I have 9:00 AM free. Which would you like?' },
      { toolCallId: '2', error: expect.any(String) },
      { toolCallId: '3', result: expect.stringMatching(/^You're booked/) },
    ] });
  });

  it('a database failure is a speakable error, not a 5xx', async () => {
    const { handle } = harness({ book: async () => { throw new Error('connection refused at 10.0.0.1'); } });
    const response = await handle(post(toolCalls([{ id: 'x' }])));
    expect(response.status).toBe(200);
    const text = JSON.stringify(await json(response));
    expect(text).toContain("I couldn't book that right now");
    expect(text).not.toContain('10.0.0.1');
  });

  it('a refused slot offers the alternatives in the clinic time zone', async () => {
    const { handle } = harness({ book: async () => ({ success: false, code: 'SLOT_UNAVAILABLE', alternatives: [new Date('2026-03-05T14:30:00Z'), new Date('2026-03-05T13:30:00Z')] }) });
    const body = await json(await handle(post(toolCalls([{ id: 'x' }]))));
    expect(body).toEqual({ results: [{ toolCallId: 'x', result: 'That time is already taken. The nearest free times are Thursday, March 5 at 8:30 AM or 9:30 AM. Which would you like?' }] });
  });

  it('says the corrected year back when the model produced a stale one', async () => {
    const { handle, booked } = harness();
    const body = await json(await handle(post(toolCalls([{ id: 'x', arguments: { ...bookArgs, date: '2024-03-05' } }]))));
    expect(booked[0]?.start).toEqual(new Date('2026-03-05T14:00:00Z'));
    expect(JSON.stringify(body)).toContain('Thursday, March 5, 2026 at 9:00 AM');
  });

  it('answers the legacy function-call message with {"result"} and the direct shape with the explicit org', async () => {
    const { handle, lookups } = harness();
    const legacy = await json(await handle(post({ message: { type: 'function-call', call: { id: 'c', assistantId: 'a' }, functionCall: { name: 'bookClinicAppointment', parameters: bookArgs } } })));
    expect(legacy).toEqual({ result: expect.stringMatching(/^You're booked/) });
    const direct = await json(await handle(post({ toolCallId: 'd-1', tool: { arguments: bookArgs }, orgId: 'a0000000-0000-0000-0000-000000000001' }, { 'x-booking-api-key': 'direct-right' })));
    expect(direct).toEqual({ results: [{ toolCallId: 'd-1', result: expect.stringMatching(/^You're booked/) }] });
    expect(lookups.at(-1)).toEqual({ orgId: 'a0000000-0000-0000-0000-000000000001' });
  });

  it('answers other message types with 200 {} and touches nothing', async () => {
    const { handle, lookups } = harness();
    const response = await handle(post({ message: { type: 'end-of-call-report', call: { id: 'c' } } }));
    expect([response.status, await json(response)]).toEqual([200, {}]);
    expect(lookups).toHaveLength(0);
  });

  it('logs one line per tool call with ids, outcome and timings, and nothing personal', async () => {
    const { handle, logs } = harness();
    await handle(post(toolCalls([{ id: 'tc-log' }, { id: 'tc-bad', arguments: { ...bookArgs, phone: 'nope' } }])));
    await handle(post('{', { 'x-vapi-secret': 'right' }));
    const toolLines = logs.filter((l) => l.event === 'tool_call');
    expect(toolLines).toEqual([
      { event: 'tool_call', tool: 'bookClinicAppointment', org: 'org-ny', callId: 'call-1', toolCallId: 'tc-log', outcome: 'BOOKED', totalMs: expect.any(Number), rpcMs: expect.any(Number) },
      { event: 'tool_call', tool: 'bookClinicAppointment', org: 'org-ny', callId: 'call-1', toolCallId: 'tc-bad', outcome: 'INVALID_PHONE', totalMs: expect.any(Number), rpcMs: 0 },
    ]);
    expect(logs.at(-1)).toEqual({ event: 'request_rejected', status: 400, reason: 'not_json' });
    const everything = JSON.stringify(logs);
    for (const secretOrPersonal of ['right', "O'Brien", 'brien', '4443333', 'ex.com', 'consultation']) expect(everything).not.toContain(secretOrPersonal);
  });
});
