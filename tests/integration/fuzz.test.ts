// Property/fuzz test of the running endpoint: over a thousand generated requests (broken and
// odd envelopes, arguments of the wrong type or size, JSON strings that do not parse, dates,
// phones, emails, unicode names with emoji, RTL text, combining marks, control characters and
// NUL) sent 8 at a time. Whatever arrives: never a 5xx, never a stack trace or SQL text in a
// body, never a booking from input that is invalid by construction, and every row written
// belongs to a booking the caller was told about, with its lead stored normalized.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { testPool } from '../support/db.ts';
import { requireStackValue } from '../support/stack-env.ts';
import { directCredential } from '../support/http.ts';
import { badlyNormalizedLeads, leadsWithoutAppointment, overlappingAppointments, rowCounts } from '../support/booking-rows.ts';
import { functionLogOffset, waitForToolCallLines } from '../support/function-log.ts';
import { BOOKED_LINE } from '../support/answers.ts';
import { leaksIn } from '../../scripts/lib/answer-leaks.ts';
import { createClinic, type RoutedClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { fuzzCaseArb, type FuzzCase, type FuzzContext } from '../support/fuzz-cases.ts';

const IN_FLIGHT = 8;
const RUNS = 150; // × IN_FLIGHT = 1,200 requests
const MAX_ANSWER_LENGTH = 400;

interface Inspected { answers: number; booked: number }

function describeCase(c: FuzzCase): string {
  const body = typeof c.body === 'string' ? c.body : `bytes ${Buffer.from(c.body).toString('hex')}`;
  return `${c.kind}: ${body.length > 600 ? `${body.slice(0, 600)}… (${body.length} chars)` : body}`;
}

function fail(c: FuzzCase, status: number, text: string, problem: string): never {
  throw new Error(`${problem}\n  request  ${describeCase(c)}\n  response ${status} ${text.slice(0, 600)}`);
}

/** Checks one response; returns how many tool calls it answered and how many as bookings. */
function inspect(c: FuzzCase, status: number, text: string): Inspected {
  if (status >= 500) fail(c, status, text, 'server error');
  // Refused either way: 401, or 413 when its declared size is refused even before its credential.
  if (c.unauthorized === true && status === 200) fail(c, status, text, 'the direct shape was answered under the Vapi secret');
  if (![200, 400, 413, ...(c.unauthorized === true ? [401] : [])].includes(status)) fail(c, status, text, `unexpected status ${status}`);
  const leaks = leaksIn(text);
  if (leaks.length > 0) fail(c, status, text, `internals in the body: ${leaks.join(', ')}`);
  let json: unknown;
  try { json = JSON.parse(text); } catch { fail(c, status, text, 'body is not JSON'); }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(c, status, text, 'body is not a JSON object');
  const body = json as Record<string, unknown>;
  if (status !== 200) {
    if (typeof body['error'] !== 'string' || Object.keys(body).length !== 1) fail(c, status, text, 'error body is not {"error": "..."}');
    return { answers: 0, booked: 0 };
  }

  let answers: string[];
  if (Array.isArray(body['results'])) {
    answers = body['results'].map((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return fail(c, status, text, 'a result is not an object');
      const e = entry as Record<string, unknown>;
      const keys = Object.keys(e).sort().join(',');
      if (keys !== 'result,toolCallId' && keys !== 'error,toolCallId') fail(c, status, text, `result keys ${keys}`);
      if (typeof e['toolCallId'] !== 'string') fail(c, status, text, 'toolCallId is not a string');
      const answer = e['result'] ?? e['error'];
      return typeof answer === 'string' ? answer : fail(c, status, text, 'answer is not a string');
    });
  } else if (typeof body['result'] === 'string') {
    answers = [body['result']];
  } else {
    if (Object.keys(body).length !== 0) fail(c, status, text, 'a 200 that is neither results, result nor {}');
    answers = [];
  }

  let booked = 0;
  answers.forEach((answer, i) => {
    if (answer === '' || /[\r\n]/.test(answer) || answer.length > MAX_ANSWER_LENGTH) fail(c, status, text, `answer ${i} is not one short line`);
    if (BOOKED_LINE.test(answer)) {
      booked += 1;
      if (!(c.mayBook[i] ?? false)) fail(c, status, text, `answer ${i} is a booking made from invalid input`);
    }
  });
  return { answers: answers.length, booked };
}

describe('fuzzing the Vapi endpoint', () => {
  let pool: pg.Pool;
  let fuzzOrg: RoutedClinic;
  let ctx: FuzzContext;

  beforeAll(async () => {
    pool = testPool();
    fuzzOrg = await createClinic(pool, { name: 'Fuzz Clinic', routes: true });
    const { phoneNumberId } = fuzzOrg;
    const { orgId: decoyOrgId } = await createClinic(pool, { name: 'Fuzz Decoy Clinic' });
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });
    const futureDays = Array.from({ length: 30 }, (_, i) => day.format(new Date(Date.now() + (i + 2) * 86_400_000)));
    ctx = { assistantId: fuzzOrg.assistantId, phoneNumberId, orgId: fuzzOrg.orgId, decoyOrgId, futureDays };
  });
  afterAll(async () => { await pool.end(); });

  it('1,200 hostile requests: no 5xx, no internals, no booking from invalid input, only whole and normalized rows', async () => {
    const url = requireStackValue('FUNCTION_URL');
    const vapiCredential = { 'x-vapi-secret': requireStackValue('VAPI_SECRET') };
    const direct = directCredential();
    const before = await rowCounts(pool);
    const beforeFuzz = await rowCounts(pool, [fuzzOrg.orgId]);
    const logOffset = functionLogOffset();
    let sent = 0;
    let answered = 0;
    let bookedAnswers = 0;

    const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzCaseArb(ctx), { minLength: IN_FLIGHT, maxLength: IN_FLIGHT }), async (batch) => {
        await Promise.all(batch.map(async (c) => {
          sent += 1;
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(c.credential === 'direct' ? direct : vapiCredential) },
            body: typeof c.body === 'string' ? c.body : Buffer.from(c.body),
          });
          const seen = inspect(c, response.status, await response.text());
          answered += seen.answers;
          bookedAnswers += seen.booked;
        }));
      }),
      { numRuns: RUNS, ...(seed === undefined ? {} : { seed }) },
    );
    expect(sent).toBeGreaterThanOrEqual(1000);

    // Every answered tool call left exactly one log line; the bookings among them made the rows.
    const lines = await waitForToolCallLines(logOffset, answered);
    expect(lines).toHaveLength(answered);
    // The generator reaches every layer that can refuse a call, and the booking itself.
    const outcomes = new Set(lines.map((line) => line.outcome));
    for (const outcome of ['BOOKED', 'ORG_NOT_FOUND', 'UNKNOWN_TOOL', 'INVALID_ARGUMENTS', 'INVALID_NAME', 'INVALID_PHONE', 'INVALID_EMAIL', 'INVALID_SERVICE_TYPE', 'INVALID_DATE', 'INVALID_DURATION']) {
      expect(outcomes, outcome).toContain(outcome);
    }
    const booked = lines.filter((line) => line.outcome === 'BOOKED');
    const replayed = lines.filter((line) => line.outcome === 'REPLAYED');
    expect(booked.length + replayed.length).toBe(bookedAnswers);
    expect(booked.every((line) => line.org === fuzzOrg.orgId)).toBe(true);

    const after = await rowCounts(pool);
    const afterFuzz = await rowCounts(pool, [fuzzOrg.orgId]);
    expect(afterFuzz.appointments - beforeFuzz.appointments).toBe(booked.length);
    expect(after.appointments - before.appointments).toBe(booked.length); // no other clinic got any
    expect(after.leads - before.leads).toBe(afterFuzz.leads - beforeFuzz.leads);
    expect(afterFuzz.leads - beforeFuzz.leads).toBeLessThanOrEqual(booked.length);
    expect(await rowCounts(pool, [ctx.decoyOrgId])).toEqual({ leads: 0, appointments: 0 });
    expect(await leadsWithoutAppointment(pool, [fuzzOrg.orgId])).toBe(0);
    expect(await overlappingAppointments(pool, [fuzzOrg.orgId])).toBe(0);
    expect(await badlyNormalizedLeads(pool, [fuzzOrg.orgId])).toEqual({ auditRuleBreaks: 0, rows: [] });
  }, 90_000);
});
