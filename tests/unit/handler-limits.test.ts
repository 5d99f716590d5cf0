// The handler's limits with a fake database and a fake monotonic clock (no sleeps): the
// per-message cap, the request deadline and its budget, route mismatches, what each kind of
// failure answers and logs, and a body that cannot be read.
import { describe, expect, it } from 'vitest';
import { createVapiHandler, type HandlerDeps } from '../../supabase/functions/_shared/handler.ts';
import { DatabaseUnavailableError, type BookingDatabase, type OrgContext, type OrgLookup, type OrgResolution, type RpcOptions } from '../../supabase/functions/_shared/booking-db.ts';
import type { LogLine, ToolCallLogLine } from '../../supabase/functions/_shared/log.ts';
import { createClinicGate } from '../../supabase/functions/_shared/clinic-gate.ts';
import { errorMessage } from '../../supabase/functions/_shared/speech.ts';
import { ONE_CALENDAR, RECEPTIONIST_RPCS_UNUSED } from '../support/fake-booking-db.ts';

const NOW = new Date('2026-03-02T15:00:00Z');
const ORG: OrgContext = { orgId: 'org-ny', timeZone: 'America/New_York', defaultCountry: 'US', defaultDurationMinutes: 30, horizonDays: 365, businessHours: [], ...ONE_CALENDAR };
const TRY_AGAIN = errorMessage('TRY_AGAIN');
const UNAVAILABLE = errorMessage('UNAVAILABLE');

/** A monotonic clock that only moves when the fake database says time passed. */
function fakeClock() {
  let at = 1000;
  return { now: () => at, advance: (ms: number) => { at += ms; } };
}

interface Harness {
  handle: (r: Request) => Promise<Response>;
  logs: LogLine[];
  booked: Array<{ start: Date; timeoutMs: number | undefined }>;
  bodyReads: () => number;
  clock: ReturnType<typeof fakeClock>;
}

function harness(db: Partial<BookingDatabase> & { resolve?: (lookup: OrgLookup, rpc?: RpcOptions) => Promise<OrgResolution> } = {}, deps: Partial<HandlerDeps> = {}): Harness {
  const logs: LogLine[] = [];
  const booked: Harness['booked'] = [];
  const clock = fakeClock();
  const fake: BookingDatabase = {
    resolveOrg: db.resolve ?? (async () => ORG),
    book: db.book ?? (async (request, rpc) => {
      booked.push({ start: request.start, timeoutMs: rpc?.timeoutMs });
      clock.advance(50);
      return { success: true, appointmentId: 'a', contactId: 'l', start: request.start, end: request.start, replayed: false };
    }),
    checkAvailability: db.checkAvailability ?? (async () => ({ success: true, slots: [] })),
    ...RECEPTIONIST_RPCS_UNUSED,
  };
  const handle = createVapiHandler({
    auth: {
      checkHeaders: async (headers) => (headers.get('x-vapi-secret') === 'right' ? 'vapi' : 'refused'),
      checkSignature: async () => false,
    },
    db: fake,
    resolveOrg: (lookup, rpc) => fake.resolveOrg(lookup, rpc),
    now: () => NOW,
    clock: clock.now,
    log: (line) => logs.push(line),
    maxBodyBytes: 64 * 1024,
    ...deps,
  });
  return { handle, logs, booked, clock, bodyReads: () => 0 };
}

const args = (hour: number) => ({ name: 'Ann Lee', phone: '+15554443333', serviceType: 'checkup', date: '2026-03-05', time: `${hour}:00` });
const message = (count: number, call: Record<string, unknown> = { id: 'call-1', assistantId: 'asst-1' }) => ({
  message: {
    type: 'tool-calls', call,
    toolCallList: Array.from({ length: count }, (_, i) => ({ id: `tc-${i}`, function: { name: 'bookClinicAppointment', arguments: args(9 + (i % 8)) } })),
  },
});
const post = (body: unknown): Request => new Request('http://local/', { method: 'POST', headers: { 'x-vapi-secret': 'right' }, body: JSON.stringify(body) });
const results = async (response: Response) => ((await response.json()) as { results: Array<{ toolCallId: string; result?: string; error?: string }> }).results;
const toolLines = (logs: LogLine[]): ToolCallLogLine[] => logs.filter((l): l is ToolCallLogLine => l.event === 'tool_call');

describe('tool calls per message', () => {
  it('runs the first 5 and answers each of the rest with an error, in order', async () => {
    const { handle, booked, logs } = harness();
    const answers = await results(await handle(post(message(8))));
    expect(answers.map((a) => a.toolCallId)).toEqual(['tc-0', 'tc-1', 'tc-2', 'tc-3', 'tc-4', 'tc-5', 'tc-6', 'tc-7']);
    expect(answers.slice(0, 5).every((a) => a.result?.startsWith("You're booked"))).toBe(true);
    expect(answers.slice(5)).toEqual(['tc-5', 'tc-6', 'tc-7'].map((id) => ({ toolCallId: id, error: errorMessage('TOO_MANY_TOOL_CALLS') })));
    expect(booked).toHaveLength(5);
    expect(toolLines(logs).map((l) => l.outcome)).toEqual([...Array(5).fill('BOOKED'), ...Array(3).fill('TOO_MANY_TOOL_CALLS')]);
  });
});

describe('the request deadline', () => {
  it('gives each RPC what is left of 15 s, and answers calls that cannot start in time with the retry line', async () => {
    const seen: Array<number | undefined> = [];
    const h = harness({
      book: async (request, rpc) => {
        seen.push(rpc?.timeoutMs);
        h.clock.advance(6000); // each booking waits 6 s in the database
        return { success: true, appointmentId: 'a', contactId: 'l', start: request.start, end: request.start, replayed: false };
      },
    });
    const answers = await results(await h.handle(post(message(4))));
    // The 8 s per-RPC cap twice (15 s, then 9 s left), then the 3 s left; then nothing is left.
    expect(seen).toEqual([8000, 8000, 3000]);
    expect(answers.map((a) => a.result ?? a.error)).toEqual([
      expect.stringMatching(/^You're booked/), expect.stringMatching(/^You're booked/), expect.stringMatching(/^You're booked/), TRY_AGAIN,
    ]);
    expect(answers[3]).toEqual({ toolCallId: 'tc-3', result: TRY_AGAIN }); // a result: the assistant can offer to retry
    const last = toolLines(h.logs)[3];
    expect(last).toMatchObject({ outcome: 'DEADLINE_EXCEEDED', errorKind: 'timeout', errorDetail: 'before_start', rpcMs: 0 });
    expect(toolLines(h.logs).slice(0, 3).map((l) => l.rpcMs)).toEqual([6000, 6000, 6000]);
  });

  it('counts the clinic lookup against the budget, and a slow lookup leaves less for the booking', async () => {
    const seen: Array<number | undefined> = [];
    const h = harness({
      resolve: async (_lookup, rpc) => { seen.push(rpc?.timeoutMs); h.clock.advance(10_000); return ORG; },
      book: async (request, rpc) => {
        seen.push(rpc?.timeoutMs);
        return { success: true, appointmentId: 'a', contactId: 'l', start: request.start, end: request.start, replayed: false };
      },
    });
    await h.handle(post(message(1)));
    expect(seen).toEqual([8000, 5000]);
    expect(toolLines(h.logs)[0]?.rpcMs).toBe(10_000);
  });

  it('a database wait that ran out (our own abort) is TRY_AGAIN, logged as a timeout with the real time spent', async () => {
    const h = harness({ book: async () => { h.clock.advance(7999); throw new DatabaseUnavailableError('timeout'); } });
    const answers = await results(await h.handle(post(message(1))));
    expect(answers).toEqual([{ toolCallId: 'tc-0', result: TRY_AGAIN }]);
    expect(toolLines(h.logs)[0]).toMatchObject({ outcome: 'TRY_AGAIN', errorKind: 'timeout', rpcMs: 7999 });
  });
});

describe('failures that are not business outcomes', () => {
  const cases: Array<[string, DatabaseUnavailableError, string, Partial<ToolCallLogLine>]> = [
    ['a lock wait (55P03)', new DatabaseUnavailableError('timeout', '55P03', 500), TRY_AGAIN, { outcome: 'TRY_AGAIN', errorKind: 'timeout', errorCode: '55P03', httpStatus: 500 }],
    ['a statement timeout (57014)', new DatabaseUnavailableError('timeout', '57014', 500), TRY_AGAIN, { outcome: 'TRY_AGAIN', errorKind: 'timeout', errorCode: '57014' }],
    ['a deadlock (40P01)', new DatabaseUnavailableError('timeout', '40P01', 500), TRY_AGAIN, { outcome: 'TRY_AGAIN', errorKind: 'timeout', errorCode: '40P01' }],
    ['a missing grant (42501)', new DatabaseUnavailableError('unexpected_reply', '42501', 403), UNAVAILABLE, { outcome: 'UNAVAILABLE', errorKind: 'unexpected_reply', errorCode: '42501', httpStatus: 403 }],
    ['a renamed RPC (PGRST202)', new DatabaseUnavailableError('unexpected_reply', 'PGRST202', 404), UNAVAILABLE, { outcome: 'UNAVAILABLE', errorKind: 'unexpected_reply', errorCode: 'PGRST202', httpStatus: 404 }],
    ['an unexpected reply', new DatabaseUnavailableError('unexpected_reply', undefined, 200, 'reply.success did not match'), UNAVAILABLE, { outcome: 'UNAVAILABLE', errorKind: 'unexpected_reply', errorDetail: 'reply.success did not match' }],
    ['an unreachable database', new DatabaseUnavailableError('unreachable', 'PGRST000', 503), UNAVAILABLE, { outcome: 'UNAVAILABLE', errorKind: 'unreachable', errorCode: 'PGRST000' }],
  ];
  it.each(cases)('%s: its own kind and code in the log, a speakable answer', async (_label, error, spoken, logged) => {
    const h = harness({ book: async () => { h.clock.advance(12); throw error; } });
    const [answer] = await results(await h.handle(post(message(1))));
    expect(answer?.result ?? answer?.error).toBe(spoken);
    expect(answer && 'result' in answer).toBe(spoken === TRY_AGAIN);
    expect(toolLines(h.logs)).toEqual([expect.objectContaining({ ...logged, rpcMs: 12 })]);
    expect(toolLines(h.logs)[0]).not.toHaveProperty('stack');
  });

  it('a TypeError inside a tool: its stack to the log (data masked), the generic line to the caller', async () => {
    const h = harness({
      book: async (request) => {
        const broken = undefined as unknown as { start: Date };
        void request;
        return { success: true, appointmentId: 'a', contactId: 'l', start: broken.start, end: broken.start, replayed: false };
      },
    });
    const response = await h.handle(post(message(1)));
    const text = await response.clone().text();
    expect(response.status).toBe(200);
    expect(await results(response)).toEqual([{ toolCallId: 'tc-0', error: UNAVAILABLE }]);
    expect(text).not.toMatch(/TypeError|undefined|\.ts\b/);
    const [line] = toolLines(h.logs);
    expect(line).toMatchObject({ outcome: 'UNAVAILABLE', errorKind: 'bug' });
    expect(line?.stack).toMatch(/^TypeError: Cannot read properties of undefined/);
    expect(line?.stack).toMatch(/handler-limits\.test\.ts/);
  });

  it('a bug that quotes data in its message has it masked in the log', async () => {
    const h = harness({ book: async () => { throw new SyntaxError('Unexpected token in "Ann Lee ann@lee.example +1 555 444 3333"'); } });
    await h.handle(post(message(1)));
    const stack = toolLines(h.logs)[0]?.stack ?? '';
    expect(stack).toMatch(/^SyntaxError: Unexpected token in "…"/);
    for (const personal of ['Ann', 'lee.example', '4443333', '444 3333']) expect(stack).not.toContain(personal);
  });

  it('a failed clinic lookup answers every call with its kind and code', async () => {
    const h = harness({ resolve: async () => { h.clock.advance(30); throw new DatabaseUnavailableError('unexpected_reply', 'PGRST202', 404); } });
    const answers = await results(await h.handle(post(message(2))));
    expect(answers).toEqual([{ toolCallId: 'tc-0', error: UNAVAILABLE }, { toolCallId: 'tc-1', error: UNAVAILABLE }]);
    expect(toolLines(h.logs).map((l) => [l.errorKind, l.errorCode])).toEqual([['unexpected_reply', 'PGRST202'], ['unexpected_reply', 'PGRST202']]);
    expect(toolLines(h.logs)[0]?.rpcMs).toBe(30);
  });
});

describe('route mismatch', () => {
  it('books nothing, answers an error for each call and logs ROUTE_MISMATCH with both routing ids', async () => {
    const h = harness({ resolve: async () => ({ routeMismatch: true }) });
    const answers = await results(await h.handle(post(message(2, { id: 'call-x', assistantId: 'asst-of-a', phoneNumberId: 'pn-of-c' }))));
    expect(answers).toEqual([
      { toolCallId: 'tc-0', error: errorMessage('ROUTE_MISMATCH') },
      { toolCallId: 'tc-1', error: errorMessage('ROUTE_MISMATCH') },
    ]);
    expect(h.booked).toHaveLength(0);
    expect(toolLines(h.logs)[0]).toMatchObject({ outcome: 'ROUTE_MISMATCH', org: null, assistantId: 'asst-of-a', phoneNumberId: 'pn-of-c' });
  });
});

describe('the per-clinic gate', () => {
  it('a call that cannot get a place before its budget runs out answers the retry line without touching the database', async () => {
    const gate = createClinicGate(1);
    const held = await gate.enter('org-ny', 0); // another request holds the clinic's only place
    expect(held).not.toBeNull();
    const h = harness({}, { gate, requestDeadlineMs: 900 }); // less than one RPC's minimum: no wait at all
    const answers = await results(await h.handle(post(message(1))));
    expect(answers).toEqual([{ toolCallId: 'tc-0', result: TRY_AGAIN }]);
    expect(h.booked).toHaveLength(0);
    held?.();
  });
});

describe('a body that cannot be read', () => {
  it('a stream that errors half-way is a 400, never a 500, and nothing is logged with a stack', async () => {
    const h = harness();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"message":{"type":"tool-ca'));
        controller.error(new Error('connection reset by peer'));
      },
    });
    const request = new Request('http://local/', { method: 'POST', headers: { 'x-vapi-secret': 'right', 'content-length': '5000' }, body: stream, duplex: 'half' } as RequestInit & { duplex: 'half' });
    const response = await h.handle(request);
    expect([response.status, await response.json()]).toEqual([400, { error: 'request body could not be read' }]);
    expect(h.logs).toEqual([{ event: 'request_rejected', status: 400, reason: 'unreadable' }]);
  });

  it('checks method, declared size and the secret header before reading a byte of the body', async () => {
    let pulled = 0;
    // highWaterMark 0: the stream is pulled only when someone reads it.
    const untouchable = (): ReadableStream<Uint8Array> => new ReadableStream<Uint8Array>(
      { pull(controller) { pulled += 1; controller.error(new Error('must not be read')); } },
      { highWaterMark: 0 },
    );
    const h = harness();
    const send = (headers: Record<string, string>, method = 'POST') =>
      h.handle(new Request('http://local/', { method, headers, ...(method === 'POST' ? { body: untouchable(), duplex: 'half' } : {}) } as RequestInit & { duplex: 'half' }));
    expect((await send({ 'x-vapi-secret': 'wrong' })).status).toBe(401);
    expect((await send({})).status).toBe(401);
    expect((await send({ 'x-vapi-secret': 'right', 'content-length': String(64 * 1024 + 1) })).status).toBe(413);
    expect((await send({}, 'PUT')).status).toBe(405);
    expect(pulled).toBe(0);
  });

  it('a bug outside any tool call is a bare 500 with its stack in the log only', async () => {
    const h = harness({}, { auth: { checkHeaders: async () => { throw new TypeError('boom in auth'); }, checkSignature: async () => false } });
    const response = await h.handle(post(message(1)));
    expect([response.status, await response.json()]).toEqual([500, { error: 'internal error' }]);
    expect(h.logs).toEqual([{ event: 'request_failed', errorKind: 'bug', stack: expect.stringMatching(/^TypeError: boom in auth\n\s+at /) }]);
  });
});
