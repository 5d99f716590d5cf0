// The HTTP handler of vapi-booking, built from plain modules so Node (vitest) and Deno run the
// same code. Request → 405/413/401/400 or 200 with one answer per tool call, in order.
import { AVAILABILITY_TOOL_NAME, BOOK_TOOL_NAME } from './booking-args.ts';
import { errorMessage } from './speech.ts';
import { parseEnvelope, type CallContext, type ToolCall } from './envelope.ts';
import { clip, type Logger } from './log.ts';
import { isUnactionable, type ToolOutcome } from './tool-result.ts';
import { runBookTool } from './tool-book.ts';
import { runAvailabilityTool } from './tool-availability.ts';
import type { BookingDatabase, OrgContext, OrgLookup } from './booking-db.ts';
import type { VerifyRequest } from './auth.ts';

export interface HandlerDeps {
  verify: VerifyRequest;
  db: BookingDatabase;
  /** Usually the cached resolver around db.resolveOrg. */
  resolveOrg: (lookup: OrgLookup) => Promise<OrgContext | null>;
  now: () => Date;
  log: Logger;
  maxBodyBytes: number;
}

type Answer = { toolCallId: string; result: string } | { toolCallId: string; error: string };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });

/** Reads at most `limit` bytes; null when the body is larger (never buffers more). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

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

  const reject = (status: number, reason: 'method' | 'too_large' | 'unauthorized' | 'not_json' | 'bad_envelope', body: unknown, headers?: Record<string, string>): Response => {
    deps.log({ event: 'request_rejected', status, reason });
    return json(status, body, headers);
  };

  async function answerCall(call: ToolCall, org: OrgContext | null | 'unavailable', context: CallContext, explicitKey: string | undefined): Promise<ToolOutcome> {
    if (call.name !== BOOK_TOOL_NAME && call.name !== AVAILABILITY_TOOL_NAME) {
      return { outcome: 'UNKNOWN_TOOL', text: errorMessage('UNKNOWN_TOOL'), rpcMs: 0 };
    }
    if (org === 'unavailable') return { outcome: 'UNAVAILABLE', text: errorMessage('UNAVAILABLE'), rpcMs: 0 };
    if (org === null) return { outcome: 'ORG_NOT_FOUND', text: errorMessage('ORG_NOT_FOUND'), rpcMs: 0 };
    const now = callNow(context, deps.now());
    try {
      return call.name === BOOK_TOOL_NAME
        ? await runBookTool(deps.db, { args: call.arguments, org, context, explicitIdempotencyKey: explicitKey, now })
        : await runAvailabilityTool(deps.db, { args: call.arguments, org, now });
    } catch {
      // Database down, timed out or answering nonsense: the caller hears a retryable line;
      // the booking either committed whole or not at all, and a retry replays it.
      return { outcome: 'UNAVAILABLE', text: errorMessage('UNAVAILABLE'), rpcMs: 0 };
    }
  }

  async function resolveOrgSafely(lookup: OrgLookup): Promise<OrgContext | null | 'unavailable'> {
    if (!lookup.orgId && !lookup.assistantId && !lookup.phoneNumberId) return null;
    try {
      return await deps.resolveOrg(lookup);
    } catch {
      return 'unavailable';
    }
  }

  return async (request) => {
    if (request.method !== 'POST') return reject(405, 'method', { error: 'method not allowed' }, { allow: 'POST' });
    const raw = await readLimited(request, deps.maxBodyBytes);
    if (raw === null) return reject(413, 'too_large', { error: 'request body too large' });
    if (!(await deps.verify(request.headers, raw))) return reject(401, 'unauthorized', { error: 'unauthorized' });

    let body: unknown;
    try {
      body = JSON.parse(decoder.decode(raw));
    } catch {
      return reject(400, 'not_json', { error: 'body must be JSON' });
    }
    const envelope = parseEnvelope(body);
    if (envelope.kind === 'ignored') return json(200, {});
    if (envelope.kind === 'invalid') return reject(400, 'bad_envelope', { error: 'unrecognized message' });

    const { context } = envelope;
    const direct = envelope.kind === 'direct' ? envelope.context : undefined;
    // Trusted ids only: a direct caller names its clinic, a Vapi call is routed by its
    // assistant or phone number. Nothing the model wrote chooses the clinic.
    const org = await resolveOrgSafely(direct
      ? { orgId: direct.orgId }
      : { assistantId: context.assistantId, phoneNumberId: context.phoneNumberId });

    const answers: Answer[] = [];
    for (const call of envelope.calls) {
      const started = performance.now();
      const outcome = await answerCall(call, org, context, direct?.idempotencyKey);
      deps.log({
        event: 'tool_call',
        tool: clip(call.name) ?? 'unknown',
        org: org && org !== 'unavailable' ? org.orgId : null,
        callId: clip(context.callId),
        toolCallId: clip(call.id) ?? '',
        outcome: outcome.outcome,
        totalMs: Math.round((performance.now() - started) * 10) / 10,
        rpcMs: outcome.rpcMs,
      });
      answers.push(isUnactionable(outcome.outcome)
        ? { toolCallId: call.id, error: outcome.text }
        : { toolCallId: call.id, result: outcome.text });
    }

    if (envelope.responseStyle === 'result') {
      const only = answers[0];
      return json(200, only && 'result' in only ? { result: only.result } : { result: only?.error ?? '' });
    }
    return json(200, { results: answers });
  };
}
