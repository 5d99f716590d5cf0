// Who is asking, for the tools that touch existing appointments (find, cancel, reschedule).
// The call's own number (Vapi's caller id) identifies the caller by itself. Anyone can SAY a
// number, so a number other than the caller id — or any number on a call without one (a web
// call, a direct caller) — only counts together with the name the appointment is under: the
// SQL then matches both, and a mismatch looks exactly like "not found".
import { normalizePhone } from './phone.ts';
import type { CallerIdentity } from './booking-db.ts';
import type { CallContext } from './envelope.ts';

export type IdentityResult =
  | { ok: true; caller: CallerIdentity }
  | { ok: false; code: 'INVALID_PHONE' | 'NAME_REQUIRED' };

export function identifyCaller(
  said: { phone?: string | undefined; name?: string | undefined },
  context: CallContext,
  defaultCountry: string,
): IdentityResult {
  const callerId = normalizePhone(context.customerNumber, defaultCountry);
  let phone = callerId;
  if (said.phone !== undefined) {
    phone = normalizePhone(said.phone, defaultCountry);
    if (phone === null) return { ok: false, code: 'INVALID_PHONE' };
  }
  if (phone === null) return { ok: false, code: 'INVALID_PHONE' };
  // The caller's own line: the phone is the identity. The name is not sent, so a name misheard
  // by speech-to-text cannot hide the caller's own booking.
  if (phone === callerId) return { ok: true, caller: { phone, name: undefined } };
  if (said.name === undefined) return { ok: false, code: 'NAME_REQUIRED' };
  return { ok: true, caller: { phone, name: said.name } };
}
