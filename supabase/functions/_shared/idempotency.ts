// Idempotency key of a booking made from a Vapi call. When a tool call fails or times out the
// model may call the tool again with a NEW toolCallId, and the retry may land after the
// clinic's midnight. So the key is built only from what stays the same across such retries:
// the call, the clinic and the caller's own arguments in canonical form — never from the
// resolved instant, which depends on the clock ("tomorrow" at 23:59:55 and at 00:00:05).

const encoder = new TextEncoder();

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** What the caller asked for, already normalized (Title Case name, E.164 phone, canonical when-words). */
export interface BookingRequestWords {
  name: string;
  phoneE164: string;
  email: string | undefined;
  serviceType: string;
  durationMinutes: number | undefined;
  when: { scheduledAt: string; date: string; time: string };
  /** The practitioner asked for (resolved id); absent for "anyone" and clinics without them. */
  practitionerId?: string | undefined;
}

/** `vapi:` + SHA-256 hex (73 characters). Hashing keeps the phone number out of the stored key. */
async function keyOf(material: readonly unknown[]): Promise<string> {
  // A JSON array keeps field boundaries unambiguous whatever characters the values contain.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify(material)));
  return `vapi:${toHex(new Uint8Array(digest))}`;
}

/** The booking's key, or undefined without a call id (direct callers bring their own key). */
export async function bookingIdempotencyKey(
  callId: string | undefined,
  orgId: string,
  words: BookingRequestWords,
): Promise<string | undefined> {
  if (callId === undefined || callId === '') return undefined;
  const material: unknown[] = [
    callId, orgId.toLowerCase(), words.phoneE164, words.name, words.email ?? '', words.serviceType,
    words.durationMinutes ?? null, words.when.scheduledAt, words.when.date, words.when.time,
  ];
  // Appended only when named, so a booking without a practitioner keeps the key it always had.
  if (words.practitionerId !== undefined) material.push(['practitioner', words.practitionerId]);
  return keyOf(material);
}

/** What a caller asked to move, and where to: identity, the old day as said, the new words. */
export interface RescheduleRequestWords {
  phoneE164: string;
  /** Sent only when the identity needs it (caller-identity.ts). */
  name: string | undefined;
  currentDate: string;
  when: { scheduledAt: string; date: string; time: string };
}

/**
 * The reschedule's key: the same call asking to move the same appointment to the same words
 * gets the same key (the SQL replays the move); the resolved instant is never part of it.
 */
export async function rescheduleIdempotencyKey(
  callId: string | undefined,
  orgId: string,
  words: RescheduleRequestWords,
): Promise<string | undefined> {
  if (callId === undefined || callId === '') return undefined;
  return keyOf([
    'reschedule', callId, orgId.toLowerCase(), words.phoneE164, words.name ?? '', words.currentDate,
    words.when.scheduledAt, words.when.date, words.when.time,
  ]);
}
