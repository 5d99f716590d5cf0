// The database as the endpoint sees it: three service-role RPCs through supabase-js (PostgREST
// in production, the local gateway here), typed by the generated database types. Replies are
// parsed with zod: anything unexpected is an infrastructure failure, never a crash. Every
// failure says what kind it was (unreachable, timeout, unexpected reply) and carries the
// PostgREST / SQLSTATE code, so the log tells a missing grant from a stuck lock.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from './database.types.ts';
import type { BusinessWindow } from './dates.ts';

export interface OrgContext {
  orgId: string;
  timeZone: string;
  defaultCountry: string;
  defaultDurationMinutes: number;
  /** Days ahead a booking may start (resolve_booking_org, migration 20261202100800; 365 when the reply predates it). */
  horizonDays: number;
  businessHours: BusinessWindow[];
}

/** The call's assistant id and phone-number id are routed to different clinics: book nothing. */
export interface RouteMismatch {
  routeMismatch: true;
}

export type OrgResolution = OrgContext | RouteMismatch | null;

export function isRouteMismatch(value: OrgResolution | 'unavailable'): value is RouteMismatch {
  return typeof value === 'object' && value !== null && 'routeMismatch' in value;
}

export interface OrgLookup {
  assistantId?: string | undefined;
  phoneNumberId?: string | undefined;
  orgId?: string | undefined;
}

export interface BookingRequest {
  orgId: string;
  name: string;
  email: string | undefined;
  phone: string;
  serviceType: string;
  start: Date;
  durationMinutes: number;
  idempotencyKey: string | undefined;
}

export type BookingOutcome =
  | { success: true; appointmentId: string; contactId: string; start: Date; end: Date; replayed: boolean }
  | { success: false; code: string; alternatives: Date[]; latestDate?: string };

export type AvailabilityOutcome =
  | { success: true; slots: Date[] }
  | { success: false; code: string };

/** Per call: how long this RPC may take (the request's remaining budget). */
export interface RpcOptions {
  timeoutMs?: number;
}

export interface BookingDatabase {
  /** null when no clinic is routed for these ids; a RouteMismatch when they name two clinics. */
  resolveOrg(lookup: OrgLookup, options?: RpcOptions): Promise<OrgResolution>;
  book(request: BookingRequest, options?: RpcOptions): Promise<BookingOutcome>;
  checkAvailability(orgId: string, day: string, durationMinutes: number | undefined, options?: RpcOptions): Promise<AvailabilityOutcome>;
}

/** What went wrong when the database gave no business answer (the log's `errorKind`). */
export type FailureKind = 'unreachable' | 'timeout' | 'unexpected_reply';

/** Thrown for anything that is not a business answer: network, PostgREST error, odd reply. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    readonly kind: FailureKind,
    /** PostgREST (PGRST…) or SQLSTATE code, when the reply had one. */
    readonly code?: string,
    readonly httpStatus?: number,
    /** Which part of a reply did not fit (never a value from it). */
    readonly detail?: string,
  ) {
    super(`rpc failed: ${kind}${code ? ` (${code})` : ''}`);
  }
}

// A wait that ran out, in the database or in front of it: the booking did not happen (or, for
// our own abort, a retry with the same idempotency key replays it), so the caller may retry.
const WAIT_CODES: ReadonlySet<string> = new Set([
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled (statement_timeout)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  'PGRST003', // timed out acquiring a connection from PostgREST's pool
]);
// The database cannot be reached or is refusing connections.
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['PGRST000', 'PGRST001', '53300', '57P01', '57P02', '57P03']);

/** The kind of a PostgREST error reply, from its code, else its HTTP status. */
export function classifyRpcError(code: string | undefined, httpStatus: number): FailureKind {
  if (code && WAIT_CODES.has(code)) return 'timeout';
  if (code && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return 'unreachable';
  if (!code && httpStatus === 504) return 'timeout';
  if (!code && (httpStatus === 502 || httpStatus === 503)) return 'unreachable';
  return 'unexpected_reply';
}

const isoInstant = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
    return z.NEVER;
  }
  return date;
});

const routedReply = z.object({
  org_id: z.string(),
  timezone: z.string(),
  default_country: z.string(),
  default_duration_minutes: z.number().int(),
  booking_horizon_days: z.number().int().positive().default(365),
  business_hours: z.array(z.object({
    weekday: z.number().int().min(1).max(7),
    opens_at: z.string().regex(/^\d{2}:\d{2}/),
    closes_at: z.string().regex(/^\d{2}:\d{2}/),
  })).default([]),
});
// CONTRACT: `{"route_mismatch": true}` when the assistant and the phone number name different
// clinics. Checked first, and extra fields do not make it a routed reply.
const mismatchReply = z.object({ route_mismatch: z.literal(true) });
const orgReply = z.union([mismatchReply, routedReply, z.null()]);

const failureReply = z.object({
  success: z.literal(false),
  error: z.string(),
  alternatives: z.array(isoInstant).optional(),
  latest_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

const bookingReply = z.discriminatedUnion('success', [
  z.object({
    success: z.literal(true),
    appointment_id: z.string(),
    contact_id: z.string(),
    scheduled_at: isoInstant,
    ends_at: isoInstant,
    replayed: z.boolean().optional(),
  }),
  failureReply,
]);

const availabilityReply = z.discriminatedUnion('success', [
  z.object({ success: z.literal(true), slots: z.array(isoInstant) }),
  failureReply,
]);

interface RpcReply {
  data: unknown;
  error: { code?: string } | null;
  status: number;
}

const CODE = /^[0-9A-Z]{5}$|^PGRST\d{3}$/;

function parseReply<T>(schema: z.ZodType<T>, reply: RpcReply, aborted: boolean): T {
  const { error, status } = reply;
  if (error) {
    // postgrest-js answers a fetch that threw (refused, reset, aborted) as status 0.
    if (status === 0) throw new DatabaseUnavailableError(aborted ? 'timeout' : 'unreachable');
    const code = error.code && CODE.test(error.code) ? error.code : undefined;
    throw new DatabaseUnavailableError(classifyRpcError(code, status), code, status);
  }
  const parsed = schema.safeParse(reply.data);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
    throw new DatabaseUnavailableError('unexpected_reply', undefined, status, `reply${where ? `.${where}` : ''} did not match`);
  }
  return parsed.data;
}

export function createBookingDatabase(options: {
  supabaseUrl: string;
  serviceRoleKey: string;
  rpcTimeoutMs: number;
  fetch?: typeof fetch;
}): BookingDatabase {
  // Module-scope client: warm instances reuse its connections.
  const client: SupabaseClient<Database> = createClient<Database>(options.supabaseUrl, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: options.fetch ? { fetch: options.fetch } : {},
  });
  // Never longer than the configured cap; shorter when the request has less time left.
  const deadline = (rpc: RpcOptions | undefined): AbortSignal =>
    AbortSignal.timeout(Math.max(1, Math.min(options.rpcTimeoutMs, rpc?.timeoutMs ?? options.rpcTimeoutMs)));

  async function call<T>(schema: z.ZodType<T>, rpc: RpcOptions | undefined, run: (signal: AbortSignal) => PromiseLike<RpcReply>): Promise<T> {
    const signal = deadline(rpc);
    let reply: RpcReply;
    try {
      reply = await run(signal);
    } catch {
      // postgrest-js rethrows an abort instead of answering it.
      throw new DatabaseUnavailableError(signal.aborted ? 'timeout' : 'unreachable');
    }
    return parseReply(schema, reply, signal.aborted);
  }

  return {
    async resolveOrg(lookup, rpc) {
      const reply = await call(orgReply, rpc, (signal) => client.rpc('resolve_booking_org', {
        p_assistant_id: lookup.assistantId,
        p_phone_number_id: lookup.phoneNumberId,
        p_org_id: lookup.orgId,
      }).abortSignal(signal));
      if (reply && 'route_mismatch' in reply) return { routeMismatch: true };
      return reply && {
        orgId: reply.org_id,
        timeZone: reply.timezone,
        defaultCountry: reply.default_country,
        defaultDurationMinutes: reply.default_duration_minutes,
        horizonDays: reply.booking_horizon_days,
        businessHours: reply.business_hours.map((w) => ({
          weekday: w.weekday, opensAt: w.opens_at.slice(0, 5), closesAt: w.closes_at.slice(0, 5),
        })),
      };
    },

    async book(request, rpc) {
      const reply = await call(bookingReply, rpc, (signal) => client.rpc('book_appointment_atomic', {
        p_org_id: request.orgId,
        p_name: request.name,
        // The function's classic signature has no default for email: '' means "not given".
        p_email: request.email ?? '',
        p_phone: request.phone,
        p_service_type: request.serviceType,
        p_scheduled_at: request.start.toISOString(),
        p_duration_minutes: request.durationMinutes,
        p_idempotency_key: request.idempotencyKey,
      }).abortSignal(signal));
      return reply.success
        ? { success: true, appointmentId: reply.appointment_id, contactId: reply.contact_id, start: reply.scheduled_at, end: reply.ends_at, replayed: reply.replayed ?? false }
        : { success: false, code: reply.error, alternatives: reply.alternatives ?? [], ...(reply.latest_date ? { latestDate: reply.latest_date } : {}) };
    },

    async checkAvailability(orgId, day, durationMinutes, rpc) {
      const reply = await call(availabilityReply, rpc, (signal) => client.rpc('check_availability', {
        p_org_id: orgId,
        p_date: day,
        p_duration_minutes: durationMinutes,
      }).abortSignal(signal));
      return reply.success ? { success: true, slots: reply.slots } : { success: false, code: reply.error };
    },
  };
}
