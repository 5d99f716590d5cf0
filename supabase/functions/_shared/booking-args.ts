// Argument schemas of the booking and availability tools (the receptionist's other tools are in
// receptionist-args.ts, built from the same pieces). Aliases are folded in first because models drift between
// camelCase and snake_case; the schemas then check shape and limits. Name and e-mail are
// normalized here; the phone is not, because that needs the org's default country.
import { z } from 'zod';
import { normalizeEmail, normalizeName } from './contact.ts';

export const BOOK_TOOL_NAME = 'bookClinicAppointment';
export const AVAILABILITY_TOOL_NAME = 'checkAvailability';

const ALIASES = {
  name: ['name', 'fullName', 'full_name', 'customerName', 'customer_name', 'patientName', 'patient_name'],
  phone: ['phone', 'phoneNumber', 'phone_number', 'customerPhone', 'customer_phone'],
  email: ['email', 'emailAddress', 'email_address'],
  serviceType: ['serviceType', 'service_type', 'service'],
  scheduledAt: ['scheduledAt', 'scheduled_at', 'dateTime', 'datetime', 'date_time'],
  date: ['date', 'day'],
  time: ['time'],
  durationMinutes: ['durationMinutes', 'duration_minutes', 'duration'],
  practitioner: ['practitioner', 'practitionerName', 'practitioner_name', 'provider', 'doctor', 'staff'],
  currentDate: ['currentDate', 'current_date', 'oldDate', 'old_date', 'appointmentDate', 'appointment_date'],
  newDate: ['newDate', 'new_date'],
  newTime: ['newTime', 'new_time'],
} as const;

type CanonicalField = keyof typeof ALIASES;

export function foldAliases(fields: readonly CanonicalField[]) {
  return (input: unknown): unknown => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const source = input as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const canonical of fields) {
      for (const alias of ALIASES[canonical]) {
        const value = source[alias];
        if (value !== undefined && value !== null && value !== '') {
          out[canonical] = value;
          break;
        }
      }
    }
    return out;
  };
}

// Models sometimes send numbers where text is meant (a phone, "11" for a time).
export const looseText = (max: number) =>
  z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1).max(max));

/**
 * A service as people say it ("Doctor's note.", "teeth whitening (cosmetic)", "physiotherapy –
 * back pain", "flu shot, follow-up") → what book_appointment_atomic accepts: lowercase, starting
 * with a letter or digit, then letters, digits, space, _ / & - only, at most 64 characters.
 * Apostrophes vanish ("doctors note"), dashes become "-", commas and "+" a "/" list, brackets
 * and other punctuation a space; accents are dropped. null when nothing is left.
 */
export function normalizeServiceType(raw: string): string | null {
  if (/\p{Cc}/u.test(raw)) return null;
  const text = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2018\u2019\u02bc`]/g, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s*[,;+]\s*/g, ' / ')
    .replace(/[^\p{L}\p{N} _/&-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*([/&])(?:\s*[/&])*\s*/g, ' $1 ')
    .replace(/-{2,}/g, '-')
    .trim()
    .replace(/^[^\p{L}\p{N}]+|[\s_/&-]+$/gu, '');
  return text === '' || text.length > 64 ? null : text;
}

// A text field that a normalizer cleans, or rejects with null.
const normalizedText = <T>(normalize: (raw: string) => T | null, message: string) =>
  z.string().transform((v, ctx) => {
    const normalized = normalize(v);
    if (normalized === null) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return normalized;
  });

const serviceType = normalizedText(normalizeServiceType, 'invalid service type');

const durationMinutes = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d{1,3}(?:\s*(?:m|mins?|minutes?))?$/i)
      .transform((v) => Number.parseInt(v, 10)),
  ])
  .pipe(z.number().int().min(5).max(480));

export const name = normalizedText(normalizeName, 'invalid name');

const email = normalizedText(normalizeEmail, 'invalid email');

const bookingObject = z
  .object({
    name,
    phone: looseText(40).optional(),
    email: email.optional(),
    serviceType,
    scheduledAt: looseText(100).optional(),
    date: looseText(100).optional(),
    time: looseText(40).optional(),
    durationMinutes: durationMinutes.optional(),
    /** A practitioner's name as said, or "anyone"; mapped by practitioners.ts. */
    practitioner: looseText(100).optional(),
  })
  .refine((v) => v.scheduledAt !== undefined || v.date !== undefined, { path: ['date'] });

export const bookingArgumentsSchema = z.preprocess(
  foldAliases(['name', 'phone', 'email', 'serviceType', 'scheduledAt', 'date', 'time', 'durationMinutes', 'practitioner']),
  bookingObject,
);

export type BookingArguments = z.output<typeof bookingArgumentsSchema>;

export const availabilityArgumentsSchema = z.preprocess(
  foldAliases(['date', 'durationMinutes', 'serviceType']),
  z.object({
    date: looseText(100),
    durationMinutes: durationMinutes.optional(),
    serviceType: serviceType.optional(),
  }),
);

export type AvailabilityArguments = z.output<typeof availabilityArgumentsSchema>;

export type BookingField = 'name' | 'phone' | 'date' | 'serviceType' | 'durationMinutes' | 'email' | 'practitioner' | 'arguments';
export type AvailabilityField = 'date' | 'serviceType' | 'durationMinutes' | 'arguments';

export type ArgumentsResult<T, F> = { ok: true; value: T } | { ok: false; field: F };

// One field is reported — the first in the order the assistant should ask again.
const BOOKING_ORDER: readonly BookingField[] = ['name', 'phone', 'email', 'serviceType', 'practitioner', 'date', 'durationMinutes'];
const AVAILABILITY_ORDER: readonly AvailabilityField[] = ['date', 'serviceType', 'durationMinutes'];

const WHEN_KEYS: ReadonlySet<string> = new Set(['scheduledAt', 'time', 'currentDate', 'newDate', 'newTime']);

export function firstField<F extends string>(error: z.ZodError, order: readonly F[], fallback: F): F {
  const failed = new Set(error.issues.map((issue) => String(issue.path[0] ?? '')));
  // Every word about WHEN is answered as the date ("say the day and time again").
  const mapped = (key: string): string => (WHEN_KEYS.has(key) ? 'date' : key);
  const failedFields = new Set([...failed].map(mapped));
  return order.find((field) => failedFields.has(field)) ?? fallback;
}

export function isObject(args: unknown): args is Record<string, unknown> {
  return typeof args === 'object' && args !== null && !Array.isArray(args);
}

// Object check, schema, then the first failed field in the order the assistant should ask.
function parseArguments<T, F extends string>(
  args: unknown,
  schema: z.ZodType<T>,
  order: readonly F[],
  fallback: F,
): ArgumentsResult<T, F> {
  if (!isObject(args)) return { ok: false, field: fallback };
  const parsed = schema.safeParse(args);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, field: firstField(parsed.error, order, fallback) };
}

export function parseBookingArguments(args: unknown): ArgumentsResult<BookingArguments, BookingField> {
  return parseArguments(args, bookingArgumentsSchema, BOOKING_ORDER, 'arguments');
}

export function parseAvailabilityArguments(args: unknown): ArgumentsResult<AvailabilityArguments, AvailabilityField> {
  return parseArguments(args, availabilityArgumentsSchema, AVAILABILITY_ORDER, 'arguments');
}
