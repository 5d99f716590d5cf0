// Is this request really from our Vapi account? Three ways to say so (vapi.md "Authentication"):
//   x-vapi-secret: <secret>
//   Authorization: Bearer <secret>
//   x-signature: [sha256=]hex(HMAC-SHA256(secret, `${x-timestamp}.${raw body}`)) + x-timestamp
// A request passes when any mode it uses passes.
//
// Presented secrets are never compared directly: both sides are first HMAC'd with a random
// per-process key and the 32-byte digests compared without early exit, so neither the
// position of the first wrong byte nor the secret's length shows in the timing.
// Values are never trimmed: " secret" is a different secret. (Fetch's Headers object, like
// every HTTP server, already drops whitespace around a header value before we see it.)
//
// The replay cache lives in this isolate's memory only. It stops an HMAC request being
// replayed to the same instance inside the freshness window; across instances the booking
// idempotency key is what prevents a second booking.

const encoder = new TextEncoder();

export interface RequestVerifierOptions {
  secret: string;
  /** Allowed clock difference for x-timestamp, either direction. Default 300 s. */
  toleranceSeconds?: number;
  /** Current time in epoch milliseconds (injectable for tests). */
  now?: () => number;
  /** Most (timestamp, signature) pairs remembered; the oldest is forgotten first. Default 10 000. */
  replayCacheSize?: number;
}

/** Anything with Headers' get(): Deno's and Node's Request.headers, or a test double. */
export type HeaderSource = Pick<Headers, 'get'>;
export type VerifyRequest = (headers: HeaderSource, rawBody: string | Uint8Array) => Promise<boolean>;
/** Callable directly, or as `.verify(...)`. */
export type RequestVerifier = VerifyRequest & { verify: VerifyRequest };

/** Equal-length check and byte comparison without early exit. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function hmacKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

async function hmac(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, data));
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

interface Keys {
  signing: CryptoKey;
  comparing: CryptoKey;
  secretDigest: Uint8Array;
}

export function createRequestVerifier(options: RequestVerifierOptions): RequestVerifier {
  const { secret } = options;
  if (typeof secret !== 'string' || secret.trim() === '') {
    throw new Error('Vapi secret is not configured');
  }
  // A header value can never carry surrounding whitespace, so such a secret could never match:
  // refuse it at start-up instead of rejecting every request later.
  if (secret !== secret.trim()) throw new Error('Vapi secret has leading or trailing whitespace');
  const toleranceMs = (options.toleranceSeconds ?? 300) * 1000;
  if (!Number.isFinite(toleranceMs) || toleranceMs <= 0) throw new Error('toleranceSeconds must be positive');
  const cacheSize = options.replayCacheSize ?? 10_000;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new Error('replayCacheSize must be a positive integer');
  const now = options.now ?? (() => Date.now());

  let keys: Promise<Keys> | undefined;
  const getKeys = (): Promise<Keys> => {
    keys ??= (async () => {
      const comparing = await hmacKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
      return {
        signing: await hmacKey(encoder.encode(secret)),
        comparing,
        secretDigest: await hmac(comparing, encoder.encode(secret)),
      };
    })();
    return keys;
  };

  // (timestamp, signature) → the epoch ms after which the timestamp is stale anyway.
  const seen = new Map<string, number>();
  const remember = (entry: string, expiresAt: number, at: number): void => {
    for (const [oldEntry, oldExpiry] of seen) {
      if (oldExpiry >= at && seen.size < cacheSize) break;
      seen.delete(oldEntry);
    }
    seen.set(entry, expiresAt);
  };

  const secretMatches = async (presented: string): Promise<boolean> => {
    const { comparing, secretDigest } = await getKeys();
    return timingSafeEqual(await hmac(comparing, encoder.encode(presented)), secretDigest);
  };

  const signatureMatches = async (
    signatureHeader: string,
    timestamp: string,
    rawBody: string | Uint8Array,
  ): Promise<boolean> => {
    if (!/^\d{1,16}$/.test(timestamp)) return false;
    const stamp = Number(timestamp);
    const stampMs = stamp > 1e12 ? stamp : stamp * 1000;
    const at = now();
    const fresh = Math.abs(at - stampMs) <= toleranceMs;

    const hex = signatureHeader.replace(/^sha256=/i, '');
    const wellFormed = HEX_SHA256.test(hex);
    const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
    const { signing } = await getKeys();
    const expected = await hmac(signing, concat(encoder.encode(`${timestamp}.`), body));
    const provided = wellFormed ? hexToBytes(hex) : new Uint8Array(expected.length);
    if (!(timingSafeEqual(provided, expected) && wellFormed && fresh)) return false;

    // Checked and recorded with no await in between, so two concurrent replays cannot both pass.
    const entry = `${timestamp}:${hex.toLowerCase()}`;
    if (seen.has(entry)) return false;
    remember(entry, stampMs + toleranceMs, at);
    return true;
  };

  const verify: VerifyRequest = async (headers, rawBody) => {
    const vapiSecret = headers.get('x-vapi-secret');
    if (vapiSecret !== null && (await secretMatches(vapiSecret))) return true;

    const authorization = headers.get('authorization');
    const bearer = authorization === null ? null : /^bearer (.*)$/is.exec(authorization);
    if (bearer && (await secretMatches(bearer[1] ?? ''))) return true;

    const signature = headers.get('x-signature');
    const timestamp = headers.get('x-timestamp');
    if (signature !== null && timestamp !== null) return signatureMatches(signature, timestamp, rawBody);
    return false;
  };

  return Object.assign(verify, { verify });
}
