// Vapi's HMAC credential: x-signature = hex HMAC-SHA256(secret, `${x-timestamp}.${raw body}`).
import { createHmac } from 'node:crypto';

export function vapiSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

/** Headers of a signed request; the timestamp defaults to now in seconds. */
export function signedHeaders(
  secret: string,
  rawBody: string,
  timestamp: string = String(Math.floor(Date.now() / 1000)),
): { 'x-timestamp': string; 'x-signature': string } {
  return { 'x-timestamp': timestamp, 'x-signature': vapiSignature(secret, timestamp, rawBody) };
}
