// Argument schemas of the receptionist's other tools: findAppointment, cancelAppointment and
// rescheduleAppointment. Who is asking comes from the call (caller id) unless the caller says
// another number; the name then identifies them (caller-identity.ts). The when-words are the
// caller's own, resolved by dates.ts exactly as for a booking.
import { z } from 'zod';
import { firstField, foldAliases, isObject, looseText, name, type ArgumentsResult } from './booking-args.ts';

export const FIND_TOOL_NAME = 'findAppointment';
export const CANCEL_TOOL_NAME = 'cancelAppointment';
export const RESCHEDULE_TOOL_NAME = 'rescheduleAppointment';

const identity = { phone: looseText(40).optional(), name: name.optional() };

export const findArgumentsSchema = z.preprocess(foldAliases(['phone', 'name']), z.object(identity));

export const cancelArgumentsSchema = z.preprocess(
  foldAliases(['phone', 'name', 'date']),
  z.object({ ...identity, date: looseText(100).optional() }),
);

export const rescheduleArgumentsSchema = z.preprocess(
  foldAliases(['phone', 'name', 'currentDate', 'newDate', 'newTime']),
  z.object({
    ...identity,
    /** Which appointment, when the caller has several: its day as said. */
    currentDate: looseText(100).optional(),
    newDate: looseText(100),
    /** Optional here: "tomorrow at 3" may arrive whole in newDate; a missing time is asked. */
    newTime: looseText(40).optional(),
  }),
);

export type FindArguments = z.output<typeof findArgumentsSchema>;
export type CancelArguments = z.output<typeof cancelArgumentsSchema>;
export type RescheduleArguments = z.output<typeof rescheduleArgumentsSchema>;

export type ReceptionistField = 'name' | 'phone' | 'date' | 'arguments';
const ORDER: readonly ReceptionistField[] = ['name', 'phone', 'date'];

function parseWith<T>(schema: z.ZodType<T>, args: unknown): ArgumentsResult<T, ReceptionistField> {
  if (!isObject(args)) return { ok: false, field: 'arguments' };
  const parsed = schema.safeParse(args);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, field: firstField<ReceptionistField>(parsed.error, ORDER, 'arguments') };
}

export const parseFindArguments = (args: unknown) => parseWith(findArgumentsSchema, args);
export const parseCancelArguments = (args: unknown) => parseWith(cancelArgumentsSchema, args);
export const parseRescheduleArguments = (args: unknown) => parseWith(rescheduleArgumentsSchema, args);
