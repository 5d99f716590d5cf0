// Idempotency key of a booking made from a Vapi call. When a tool call fails or times out the
// model may call the tool again with a NEW toolCallId, so the key is built from what stays the
// same across such retries: the call, the org, the slot and the caller's phone.

const encoder = new TextEncoder();

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * `vapi:` + SHA-256 hex of the inputs (73 characters), or undefined without a call id
 * (direct callers bring their own key). Hashing keeps the phone number out of the stored key.
 */
export async function bookingIdempotencyKey(
  callId: string | undefined,
  orgId: string,
  start: Date,
  phoneE164: string,
): Promise<string | undefined> {
  if (callId === undefined || callId === '') return undefined;
  // A JSON array keeps field boundaries unambiguous whatever characters the ids contain.
  // toISOString() throws on an invalid date, which is a programming error upstream.
  const material = JSON.stringify([callId, orgId.toLowerCase(), start.toISOString(), phoneE164]);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(material));
  return `vapi:${toHex(new Uint8Array(digest))}`;
}
