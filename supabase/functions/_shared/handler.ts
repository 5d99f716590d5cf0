// The HTTP handler of vapi-booking, built from plain modules so Node (vitest) and Deno run the
// same code. Request → 405/413/401/400 or 200 with one answer per tool call, in order.
//
// Order of work: the cheap checks (method, declared size, secret headers) come before the body
// is read; only HMAC needs the body. One budget (REQUEST_DEADLINE_MS, below Vapi's 20 s) covers
// the whole request: every RPC gets what is left of it, and a call that cannot start in time
// answers the retry line. At most `maxToolCalls` calls per message are run.
import { TOOLS } from './tools.ts';
import { errorMessage } from './speech.ts';
import { parseEnvelope, type CallContext, type ToolCall } from './envelope.ts';
import { clip, stackForLog, type ErrorKind, type Logger, type RejectReason, type ToolCallLogLine } from './log.ts';
import { isUnactionable, type OutcomeCode } from './codes.ts';
import type { ToolOutcome } from './tool-result.ts';
import {
  DatabaseUnavailableError, isRouteMismatch,
  type BookingDatabase, type OrgContext, type OrgLookup, type OrgResolution,
} from './booking-db.ts';
import type { OrgResolver } from './org-cache.ts';
import type { Principal, RequestAuthenticator } from './auth.ts';
import { DeadlineExceededError, MIN_RPC_BUDGET_MS, meteredDatabase, requestBudget, type RequestBudget } from './call-budget.ts';
import { createClinicGate, type ClinicGate } from './clinic-gate.ts';

export interface HandlerDeps {
  auth: RequestAuthenticator;
  db: BookingDatabase;
  /** Usually the cached resolver around db.resolveOrg. */
  resolveOrg: OrgResolver;
  now: () => Date;
  log: Logger;
  maxBodyBytes: number;
  /** Monotonic milliseconds, for the deadline and the timings. Default performance.now. */
  clock?: () => number;
  /** Default 15 000 ms. */
  requestDeadlineMs?: number;
  /** Default 5. */
  maxToolCalls?: number;
  /** Cap on one RPC. Default 8 000 ms. */
  rpcTimeoutMs?: number;
  /** Default: 4 database calls per clinic in flight. */
  gate?: ClinicGate;
}

type Answer = { toolCallId: string; result: string } | { toolCallId: string; error: string };

/** The log fields of a failure that is not a business outcome. */
type FailureFields = Pick<ToolCallLogLine, 'errorKind' | 'errorCode' | 'httpStatus' | 'errorDetail' | 'stack'>;

interface Answered {
  outcome: OutcomeCode;
  text: string;
  failure?: FailureFields;
}

type Resolved = OrgResolution | { failed: Answered };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });

type BodyRead = { kind: 'ok'; bytes: Uint8Array } | { kind: 'too_large' } | { kind: 'unreadable' };

/**
 * Reads at most `limit` bytes, never buffering more. A stream that errors (the client hung up
 * half-way, a reset) is 'unreadable': an answer, not an exception.
 */
async function readLimited(request: Request, limit: number): Promise<BodyRead> {
  if (!request.body) return { kind: 'ok', bytes: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { kind: 'unreadable' };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: 'ok', bytes };
}

/** A failure → what the caller hears and what the log says. Waits that ran out are retryable. */
function failureAnswer(error: unknown): Answered {
  if (error instanceof DeadlineExceededError) {
    return { outcome: 'DEADLINE_EXCEEDED', text: errorMessage('DEADLINE_EXCEEDED'), failure: { errorKind: 'timeout', errorDetail: error.where } };
  }
  if (error instanceof DatabaseUnavailableError) {
    const failure: FailureFields = { errorKind: error.kind };
    if (error.code !== undefined) failure.errorCode = error.code;
    if (error.httpStatus !== undefined) failure.httpStatus = error.httpStatus;
    if (error.detail !== undefined) failure.errorDetail = error.detail;
    // A lock wait, a statement timeout or our own deadline: nothing was booked, or a retry
    // with the same idempotency key replays what was. The caller is offered a retry.
    const outcome = error.kind === 'timeout' ? 'TRY_AGAIN' : 'UNAVAILABLE';
    return { outcome, text: errorMessage(outcome), failure };
  }
  // Our own bug: the stack goes to the log, the caller hears the generic line.
  const kind: ErrorKind = 'bug';
  return { outcome: 'UNAVAILABLE', text: errorMessage('UNAVAILABLE'), failure: { errorKind: kind, stack: stackForLog(error) } };
}

const fixed = (outcome: Parameters<typeof errorMessage>[0]): Answered => ({ outcome, text: errorMessage(outcome) });


// A call's start is trusted as "now" only when it is plausible: Vapi's calls last minutes, and a
// skewed or stale value must not move "tomorrow" by days.
const MAX_CALL_AGE_MS = 6 * 60 * 60 * 1000;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** "Now" for a tool call: the call's start (so every retry resolves the same slot), else the clock. */
export function callNow(context: CallContext, clock: Date): Date {
  const started = context.startedAt;
  if (!started) return clock;
  const age = clock.getTime() - started.getTime();
  return age <= MAX_CALL_AGE_MS && age >= -MAX_CLOCK_SKEW_MS ? started : clock;
}

export function createVapiHandler(deps: HandlerDeps): (request: Request) => Promise<Response> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const clock = deps.clock ?? (() => performance.now());
  const deadlineMs = deps.requestDeadlineMs ?? 15_000;
  const maxToolCalls = deps.maxToolCalls ?? 5;
  const rpcTimeoutMs = deps.rpcTimeoutMs ?? 8000;
  const gate = deps.gate ?? createClinicGate(4);
  const ms = (value: number): number => Math.round(value * 10) / 10;

  const reject = (status: number, reason: RejectReason, body: unknown, headers?: Record<string, string>): Response => {
    deps.log({ event: 'request_rejected', status, reason });
    return json(status, body, headers);
  };
  const unauthorized = (reason: RejectReason = 'unauthorized'): Response => reject(401, reason, { error: 'unauthorized' });

  async function resolveOrg(lookup: OrgLookup, budget: RequestBudget): Promise<Resolved> {
    if (!lookup.orgId && !lookup.assistantId && !lookup.phoneNumberId) return null;
    try {
      const left = Math.min(rpcTimeoutMs, budget.remainingMs());
      if (left < MIN_RPC_BUDGET_MS) throw new DeadlineExceededError('before_start');
      return await deps.resolveOrg(lookup, { timeoutMs: left });
    } catch (error) {
      return { failed: failureAnswer(error) };
    }
  }

  async function runTool(call: ToolCall, org: OrgContext, context: CallContext, explicitKey: string | undefined, db: BookingDatabase): Promise<ToolOutcome> {
    const run = call.name === undefined ? undefined : TOOLS.get(call.name);
    if (run === undefined) return { outcome: 'UNKNOWN_TOOL', text: errorMessage('UNKNOWN_TOOL'), rpcMs: 0 };
    return run(db, { args: call.arguments, org, context, explicitIdempotencyKey: explicitKey, now: callNow(context, deps.now()) });
  }

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') return reject(405, 'method', { error: 'method not allowed' }, { allow: 'POST' });
    const budget = requestBudget(clock, deadlineMs);
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > deps.maxBodyBytes) return reject(413, 'too_large', { error: 'request body too large' });

    // Secret headers before the body: an unauthenticated client never makes us read it.
    const verdict = await deps.auth.checkHeaders(request.headers);
    if (verdict === 'refused') return unauthorized();

    const read = await readLimited(request, deps.maxBodyBytes);
    if (read.kind === 'too_large') return reject(413, 'too_large', { error: 'request body too large' });
    if (read.kind === 'unreadable') return reject(400, 'unreadable', { error: 'request body could not be read' });
    let principal: Principal;
    if (verdict === 'needs-body') {
      if (!(await deps.auth.checkSignature(request.headers, read.bytes))) return unauthorized();
      principal = 'vapi';
    } else {
      principal = verdict;
    }

    let body: unknown;
    try {
      body = JSON.parse(decoder.decode(read.bytes));
    } catch {
      return reject(400, 'not_json', { error: 'body must be JSON' });
    }
    const envelope = parseEnvelope(body);
    if (envelope.kind === 'ignored') return json(200, {});
    if (envelope.kind === 'invalid') return reject(400, 'bad_envelope', { error: 'unrecognized message' });
    // Each credential has its shape: the Vapi secret never names a clinic, the direct key never
    // poses as a Vapi call.
    if ((envelope.kind === 'direct') !== (principal === 'direct')) return unauthorized('wrong_credential');

    const { context } = envelope;
    const direct = envelope.kind === 'direct' ? envelope.context : undefined;
    const started = clock();
    // Trusted ids only: a direct caller names its clinic, a Vapi call is routed by its
    // assistant and phone number. Nothing the model wrote chooses the clinic.
    const resolved = await resolveOrg(direct
      ? { orgId: direct.orgId }
      : { assistantId: context.assistantId, phoneNumberId: context.phoneNumberId }, budget);
    const orgResolveMs = clock() - started;
    const org = resolved !== null && !('failed' in resolved) && !isRouteMismatch(resolved) ? resolved : null;

    const answers: Answer[] = [];
    for (const [index, call] of envelope.calls.entries()) {
      const callStarted = index === 0 ? started : clock();
      const metered = meteredDatabase(deps.db, { clock, budget, rpcTimeoutMs, gate });
      let answered: Answered;
      if (index >= maxToolCalls) answered = fixed('TOO_MANY_TOOL_CALLS');
      else if (call.name === undefined || !TOOLS.has(call.name)) answered = fixed('UNKNOWN_TOOL');
      else if (resolved !== null && 'failed' in resolved) answered = resolved.failed;
      else if (isRouteMismatch(resolved)) answered = fixed('ROUTE_MISMATCH');
      else if (org === null) answered = fixed('ORG_NOT_FOUND');
      else {
        try {
          const outcome = await runTool(call, org, context, direct?.idempotencyKey, metered.db);
          answered = { outcome: outcome.outcome, text: outcome.text };
        } catch (error) {
          answered = failureAnswer(error);
        }
      }
      const line: ToolCallLogLine = {
        event: 'tool_call',
        tool: clip(call.name) ?? 'unknown',
        org: org?.orgId ?? null,
        callId: clip(context.callId),
        toolCallId: clip(call.id) ?? '',
        outcome: answered.outcome,
        totalMs: ms(clock() - callStarted),
        // The clinic lookup is part of the first call's database time.
        rpcMs: ms(metered.rpcMs() + (index === 0 && resolved !== null ? orgResolveMs : 0)),
        ...answered.failure,
      };
      if (answered.outcome === 'ROUTE_MISMATCH') {
        line.assistantId = clip(context.assistantId);
        line.phoneNumberId = clip(context.phoneNumberId);
      }
      deps.log(line);
      answers.push(isUnactionable(answered.outcome)
        ? { toolCallId: call.id, error: answered.text }
        : { toolCallId: call.id, result: answered.text });
    }

    if (envelope.responseStyle === 'result') {
      const only = answers[0];
      return json(200, only && 'result' in only ? { result: only.result } : { result: only?.error ?? '' });
    }
    return json(200, { results: answers });
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      // A bug outside any tool call: its stack to the log, nothing about it to the caller.
      deps.log({ event: 'request_failed', errorKind: 'bug', stack: stackForLog(error) });
      return json(500, { error: 'internal error' });
    }
  };
}
