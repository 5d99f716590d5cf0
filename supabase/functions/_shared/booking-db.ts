// The database as the endpoint sees it: three service-role RPCs through supabase-js (PostgREST
// in production, the local gateway here), typed by the generated database types. Replies are
// parsed with zod: anything unexpected is an infrastructure failure, never a crash.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from './database.types.ts';
import type { BusinessWindow } from './dates.ts';

export interface OrgContext {
  orgId: string;
  timeZone: string;
  defaultCountry: string;
  defaultDurationMinutes: number;
  /** Days ahead a booking may start (CONTRACT.md; 365 when the reply predates it). */
  horizonDays: number;
  businessHours: BusinessWindow[];
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

export interface BookingDatabase {
  /** null when no clinic is routed for these ids. */
  resolveOrg(lookup: OrgLookup): Promise<OrgContext | null>;
  book(request: BookingRequest): Promise<BookingOutcome>;
  checkAvailability(orgId: string, day: string, durationMinutes: number | undefined): Promise<AvailabilityOutcome>;
}

/** Thrown for anything that is not a business answer: network, PostgREST error, odd reply. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

const isoInstant = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
    return z.NEVER;
  }
  return date;
});

const orgReply = z.object({
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
}).nullable();

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

function parseReply<T>(schema: z.ZodType<T>, data: unknown, error: { code?: string } | null): T {
  if (error) throw new DatabaseUnavailableError(`rpc failed${error.code ? ` (${error.code})` : ''}`);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new DatabaseUnavailableError('unexpected rpc reply');
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
  const deadline = (): AbortSignal => AbortSignal.timeout(options.rpcTimeoutMs);

  async function call<T>(schema: z.ZodType<T>, run: () => PromiseLike<{ data: unknown; error: { code?: string } | null }>): Promise<T> {
    let reply: { data: unknown; error: { code?: string } | null };
    try {
      reply = await run();
    } catch {
      throw new DatabaseUnavailableError('rpc did not complete');
    }
    return parseReply(schema, reply.data, reply.error);
  }

  return {
    async resolveOrg(lookup) {
      const reply = await call(orgReply, () => client.rpc('resolve_booking_org', {
        p_assistant_id: lookup.assistantId,
        p_phone_number_id: lookup.phoneNumberId,
        p_org_id: lookup.orgId,
      }).abortSignal(deadline()));
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

    async book(request) {
      const reply = await call(bookingReply, () => client.rpc('book_appointment_atomic', {
        p_org_id: request.orgId,
        p_name: request.name,
        // The function's classic signature has no default for email: '' means "not given".
        p_email: request.email ?? '',
        p_phone: request.phone,
        p_service_type: request.serviceType,
        p_scheduled_at: request.start.toISOString(),
        p_duration_minutes: request.durationMinutes,
        p_idempotency_key: request.idempotencyKey,
      }).abortSignal(deadline()));
      return reply.success
        ? { success: true, appointmentId: reply.appointment_id, contactId: reply.contact_id, start: reply.scheduled_at, end: reply.ends_at, replayed: reply.replayed ?? false }
        : { success: false, code: reply.error, alternatives: reply.alternatives ?? [], ...(reply.latest_date ? { latestDate: reply.latest_date } : {}) };
    },

    async checkAvailability(orgId, day, durationMinutes) {
      const reply = await call(availabilityReply, () => client.rpc('check_availability', {
        p_org_id: orgId,
        p_date: day,
        p_duration_minutes: durationMinutes,
      }).abortSignal(deadline()));
      return reply.success ? { success: true, slots: reply.slots } : { success: false, code: reply.error };
    },
  };
}
