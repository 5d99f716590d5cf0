// The database as the endpoint sees it: six service-role RPCs through supabase-js (PostgREST
// in production, the local gateway here), typed by the generated database types. Replies are
// parsed with zod: anything unexpected is an infrastructure failure, never a crash. Every
// failure says what kind it was (unreachable, timeout, unexpected reply) and carries the
// PostgREST / SQLSTATE code, so the log tells a missing grant from a stuck lock.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from './database.types.ts';
import type { BusinessWindow } from './dates.ts';

/** A practitioner (person or room) of the clinic, as resolve_booking_org lists them. */
export interface Practitioner {
  id: string;
  name: string;
}

/** One entry of the clinic's service catalogue (names and aliases stored normalized). */
export interface CatalogueService {
  name: string;
  aliases: string[];
  durationMinutes: number;
}

export interface OrgContext {
  orgId: string;
  timeZone: string;
  defaultCountry: string;
  defaultDurationMinutes: number;
  /** Days ahead a booking may start (resolve_booking_org, migration 20261202100800; 365 when the reply predates it). */
  horizonDays: number;
  businessHours: BusinessWindow[];
  /** Empty for a clinic that is one calendar (no practitioners). */
  practitioners: Practitioner[];
  /** Empty for a clinic without a catalogue: any service text is booked as said. */
  services: CatalogueService[];
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
  /** A named practitioner's id; undefined = "anyone" (or a clinic without practitioners). */
  practitionerId?: string | undefined;
}

/** What a refusal may carry besides its code (each only where docs/receptionist-calls.md says). */
export interface RefusalDetails {
  alternatives: Date[];
  latestDate?: string;
  /** UNKNOWN_SERVICE: the clinic's service names. */
  services?: string[];
  /** AMBIGUOUS_APPOINTMENT: the caller's candidate appointments. */
  appointments?: AppointmentSummary[];
}

export type Refused = { success: false; code: string } & RefusalDetails;

export type BookingOutcome =
  | { success: true; appointmentId: string; contactId: string; start: Date; end: Date; replayed: boolean }
  | Refused;

/** One of the caller's upcoming appointments: no names, only what the caller may hear. */
export interface AppointmentSummary {
  appointmentId: string;
  start: Date;
  end: Date;
  serviceType: string;
  /** The practitioner's name; null at a clinic without practitioners. */
  practitioner: string | null;
}

export type FindOutcome =
  | { success: true; appointments: AppointmentSummary[] }
  | Refused;

/** Who is asking: the phone (E.164), and the name when the phone is not the call's own. */
export interface CallerIdentity {
  phone: string;
  name: string | undefined;
}

/** Which of the caller's appointments: a clinic-local day (YYYY-MM-DD) and/or an id. */
export interface AppointmentChoice {
  day?: string | undefined;
  appointmentId?: string | undefined;
}

export type CancelRequest = { orgId: string } & CallerIdentity & AppointmentChoice;

export type CancelOutcome =
  | { success: true; appointmentId: string; start: Date; replayed: boolean }
  | Refused;

export type RescheduleRequest = { orgId: string; newStart: Date; idempotencyKey: string | undefined } & CallerIdentity & AppointmentChoice;

export type RescheduleOutcome =
  | { success: true; appointmentId: string; start: Date; end: Date | undefined; replayed: boolean }
  | Refused;

export type AvailabilityOutcome =
  | { success: true; slots: Date[] }
  | { success: false; code: string };

/** Per call: how long this RPC may take (the request's remaining budget). */
export interface RpcOptions {
  timeoutMs?: number;
}

export interface AvailabilityWant {
  durationMinutes: number | undefined;
  /** A service of the clinic's catalogue, by its catalogue name. */
  serviceType?: string | undefined;
}

export interface BookingDatabase {
  /** null when no clinic is routed for these ids; a RouteMismatch when they name two clinics. */
  resolveOrg(lookup: OrgLookup, options?: RpcOptions): Promise<OrgResolution>;
  book(request: BookingRequest, options?: RpcOptions): Promise<BookingOutcome>;
  /** Free starts of one clinic-local day for this length, or for a catalogue service (its length and buffers). */
  checkAvailability(orgId: string, day: string, want: AvailabilityWant, options?: RpcOptions): Promise<AvailabilityOutcome>;
  findAppointments(orgId: string, caller: CallerIdentity, options?: RpcOptions): Promise<FindOutcome>;
  cancelAppointment(request: CancelRequest, options?: RpcOptions): Promise<CancelOutcome>;
  rescheduleAppointment(request: RescheduleRequest, options?: RpcOptions): Promise<RescheduleOutcome>;
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
  // Replies of a database migrated before practitioners / a catalogue lack these.
  practitioners: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
  services: z.array(z.object({
    name: z.string(),
    aliases: z.array(z.string()).default([]),
    duration_minutes: z.number().int(),
  })).default([]),
});
// `{"route_mismatch": true}` when the assistant and the phone number name different
// clinics. Checked first, and extra fields do not make it a routed reply.
const mismatchReply = z.object({ route_mismatch: z.literal(true) });
const orgReply = z.union([mismatchReply, routedReply, z.null()]);

const appointmentSummary = z.object({
  appointment_id: z.string(),
  scheduled_at: isoInstant,
  ends_at: isoInstant,
  service_type: z.string(),
  practitioner: z.string().nullable().default(null),
});

const failureReply = z.object({
  success: z.literal(false),
  error: z.string(),
  alternatives: z.array(isoInstant).optional(),
  latest_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  services: z.array(z.string()).optional(),
  appointments: z.array(appointmentSummary).optional(),
});
type FailureReply = z.output<typeof failureReply>;
type SummaryReply = z.output<typeof appointmentSummary>;

const summaryOf = (a: SummaryReply): AppointmentSummary => ({
  appointmentId: a.appointment_id, start: a.scheduled_at, end: a.ends_at, serviceType: a.service_type, practitioner: a.practitioner,
});

function refusedOf(reply: FailureReply): Refused {
  return {
    success: false,
    code: reply.error,
    alternatives: reply.alternatives ?? [],
    ...(reply.latest_date ? { latestDate: reply.latest_date } : {}),
    ...(reply.services ? { services: reply.services } : {}),
    ...(reply.appointments ? { appointments: reply.appointments.map(summaryOf) } : {}),
  };
}

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

const findReply = z.discriminatedUnion('success', [
  z.object({ success: z.literal(true), appointments: z.array(appointmentSummary) }),
  failureReply,
]);

const cancelReply = z.discriminatedUnion('success', [
  z.object({ success: z.literal(true), appointment_id: z.string(), scheduled_at: isoInstant, replayed: z.boolean().default(false) }),
  failureReply,
]);

const rescheduleReply = z.discriminatedUnion('success', [
  z.object({
    success: z.literal(true),
    appointment_id: z.string(),
    scheduled_at: isoInstant,
    ends_at: isoInstant.optional(),
    replayed: z.boolean().default(false),
  }),
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
        practitioners: reply.practitioners,
        services: reply.services.map((service) => ({
          name: service.name, aliases: service.aliases, durationMinutes: service.duration_minutes,
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
        // Sent only when a practitioner was named: "anyone" is the SQL default (null), and the
        // classic call of a clinic without practitioners stays the eight named arguments.
        ...(request.practitionerId === undefined ? {} : { p_practitioner_id: request.practitionerId }),
      }).abortSignal(signal));
      return reply.success
        ? { success: true, appointmentId: reply.appointment_id, contactId: reply.contact_id, start: reply.scheduled_at, end: reply.ends_at, replayed: reply.replayed ?? false }
        : refusedOf(reply);
    },

    async checkAvailability(orgId, day, want, rpc) {
      const reply = await call(availabilityReply, rpc, (signal) => client.rpc('check_availability', {
        p_org_id: orgId,
        p_date: day,
        p_duration_minutes: want.durationMinutes,
        ...(want.serviceType === undefined ? {} : { p_service_type: want.serviceType }),
      }).abortSignal(signal));
      return reply.success ? { success: true, slots: reply.slots } : { success: false, code: reply.error };
    },

    async findAppointments(orgId, caller, rpc) {
      const reply = await call(findReply, rpc, (signal) => client.rpc('find_appointments', {
        p_org_id: orgId,
        p_phone: caller.phone,
        ...nameArgument(caller),
      }).abortSignal(signal));
      return reply.success ? { success: true, appointments: reply.appointments.map(summaryOf) } : refusedOf(reply);
    },

    async cancelAppointment(request, rpc) {
      const reply = await call(cancelReply, rpc, (signal) => client.rpc('cancel_appointment', {
        p_org_id: request.orgId,
        p_phone: request.phone,
        ...nameArgument(request),
        ...choiceArguments(request),
      }).abortSignal(signal));
      return reply.success
        ? { success: true, appointmentId: reply.appointment_id, start: reply.scheduled_at, replayed: reply.replayed }
        : refusedOf(reply);
    },

    async rescheduleAppointment(request, rpc) {
      const reply = await call(rescheduleReply, rpc, (signal) => client.rpc('reschedule_appointment', {
        p_org_id: request.orgId,
        p_phone: request.phone,
        p_new_start: request.newStart.toISOString(),
        ...nameArgument(request),
        ...choiceArguments(request),
        ...(request.idempotencyKey === undefined ? {} : { p_idempotency_key: request.idempotencyKey }),
      }).abortSignal(signal));
      return reply.success
        ? { success: true, appointmentId: reply.appointment_id, start: reply.scheduled_at, end: reply.ends_at, replayed: reply.replayed }
        : refusedOf(reply);
    },
  };
}

// p_name is sent only when the caller's identity needs it (another number, or no caller id):
// the SQL then requires it to match, so sending it otherwise would only add ways to miss.
function nameArgument(caller: CallerIdentity): { p_name?: string } {
  return caller.name === undefined ? {} : { p_name: caller.name };
}

function choiceArguments(choice: AppointmentChoice): { p_day?: string; p_appointment_id?: string } {
  return {
    ...(choice.day === undefined ? {} : { p_day: choice.day }),
    ...(choice.appointmentId === undefined ? {} : { p_appointment_id: choice.appointmentId }),
  };
}
