// Is this request really from our Vapi account? Three ways to say so (docs/endpoint-safety.md, "The order of work for a request"):
//   x-vapi-secret: <secret>
//   Authorization: Bearer <secret>
//   x-signature: [sha256=]hex(HMAC-SHA256(secret, `${x-timestamp}.${raw body}`)) + x-timestamp
// A request passes when any mode it uses passes.
//
// Direct callers (the plain `{"toolCallId","tool","orgId"}` shape, which names its clinic) use a
// credential of their own, DIRECT_API_SECRET in the `x-booking-api-key` header: the Vapi secret
// never lets a request choose a clinic, and without DIRECT_API_SECRET the direct shape is off.
//
// Cheap checks first: the secret headers are checked before the body is read; only HMAC needs
// the body, and even then a malformed or stale signature is refused before reading it.
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
/** What the headers alone say: a verified Vapi request, one that needs its body (HMAC), or no. */
export type HeaderVerdict = 'vapi' | 'needs-body' | 'refused';
/** Callable directly, or as `.verify(...)`; `checkHeaders` + `checkSignature` are its two halves. */
export type RequestVerifier = VerifyRequest & {
  verify: VerifyRequest;
  /** Before the body: x-vapi-secret / Bearer verified; HMAC headers well-formed and fresh. */
  checkHeaders(headers: HeaderSource): Promise<HeaderVerdict>;
  /** After the body, for 'needs-body': the HMAC signature over it (replays refused). */
  checkSignature(headers: HeaderSource, rawBody: string | Uint8Array): Promise<boolean>;
};

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

/**
 * A constant-time matcher for one secret: both sides are HMAC'd with a random per-process key
 * and the digests compared, so neither length nor content shows in the timing.
 */
export function createSecretMatcher(secret: string): (presented: string) => Promise<boolean> {
  let keys: Promise<{ comparing: CryptoKey; digest: Uint8Array }> | undefined;
  const getKeys = () => {
    keys ??= (async () => {
      const comparing = await hmacKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
      return { comparing, digest: await hmac(comparing, encoder.encode(secret)) };
    })();
    return keys;
  };
  return async (presented) => {
    const { comparing, digest } = await getKeys();
    return timingSafeEqual(await hmac(comparing, encoder.encode(presented)), digest);
  };
}

/** Refuses a secret no header could ever carry (blank, or padded: header values are trimmed). */
export function assertUsableSecret(secret: unknown, label: string): asserts secret is string {
  if (typeof secret !== 'string' || secret.trim() === '') throw new Error(`${label} is not configured`);
  if (secret !== secret.trim()) throw new Error(`${label} has leading or trailing whitespace`);
}

export function createRequestVerifier(options: RequestVerifierOptions): RequestVerifier {
  const { secret } = options;
  // A header value can never carry surrounding whitespace, so such a secret could never match:
  // refuse it at start-up instead of rejecting every request later.
  assertUsableSecret(secret, 'Vapi secret');
  const toleranceMs = (options.toleranceSeconds ?? 300) * 1000;
  if (!Number.isFinite(toleranceMs) || toleranceMs <= 0) throw new Error('toleranceSeconds must be positive');
  const cacheSize = options.replayCacheSize ?? 10_000;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new Error('replayCacheSize must be a positive integer');
  const now = options.now ?? (() => Date.now());

  let signingKey: Promise<CryptoKey> | undefined;
  const getSigningKey = (): Promise<CryptoKey> => (signingKey ??= hmacKey(encoder.encode(secret)));
  const secretMatches = createSecretMatcher(secret);

  // (timestamp, signature) → the epoch ms after which the timestamp is stale anyway.
  const seen = new Map<string, number>();
  const remember = (entry: string, expiresAt: number, at: number): void => {
    for (const [oldEntry, oldExpiry] of seen) {
      if (oldExpiry >= at && seen.size < cacheSize) break;
      seen.delete(oldEntry);
    }
    seen.set(entry, expiresAt);
  };

  const stampMsOf = (timestamp: string): number | undefined => {
    if (!/^\d{1,16}$/.test(timestamp)) return undefined;
    const stamp = Number(timestamp);
    return stamp > 1e12 ? stamp : stamp * 1000;
  };

  /** Format and freshness only: what can be refused before the body is read. */
  const signaturePlausible = (signatureHeader: string, timestamp: string): boolean => {
    const stampMs = stampMsOf(timestamp);
    return stampMs !== undefined && Math.abs(now() - stampMs) <= toleranceMs
      && HEX_SHA256.test(signatureHeader.replace(/^sha256=/i, ''));
  };

  const signatureMatches = async (
    signatureHeader: string,
    timestamp: string,
    rawBody: string | Uint8Array,
  ): Promise<boolean> => {
    const stampMs = stampMsOf(timestamp);
    if (stampMs === undefined) return false;
    const at = now();
    const fresh = Math.abs(at - stampMs) <= toleranceMs;

    const hex = signatureHeader.replace(/^sha256=/i, '');
    const wellFormed = HEX_SHA256.test(hex);
    const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
    const signing = await getSigningKey();
    const expected = await hmac(signing, concat(encoder.encode(`${timestamp}.`), body));
    const provided = wellFormed ? hexToBytes(hex) : new Uint8Array(expected.length);
    if (!(timingSafeEqual(provided, expected) && wellFormed && fresh)) return false;

    // Checked and recorded with no await in between, so two concurrent replays cannot both pass.
    const entry = `${timestamp}:${hex.toLowerCase()}`;
    if (seen.has(entry)) return false;
    remember(entry, stampMs + toleranceMs, at);
    return true;
  };

  const checkHeaders = async (headers: HeaderSource): Promise<HeaderVerdict> => {
    const vapiSecret = headers.get('x-vapi-secret');
    if (vapiSecret !== null && (await secretMatches(vapiSecret))) return 'vapi';

    const authorization = headers.get('authorization');
    const bearer = authorization === null ? null : /^bearer (.*)$/is.exec(authorization);
    if (bearer && (await secretMatches(bearer[1] ?? ''))) return 'vapi';

    const signature = headers.get('x-signature');
    const timestamp = headers.get('x-timestamp');
    if (signature !== null && timestamp !== null && signaturePlausible(signature, timestamp)) return 'needs-body';
    return 'refused';
  };

  const checkSignature = async (headers: HeaderSource, rawBody: string | Uint8Array): Promise<boolean> => {
    const signature = headers.get('x-signature');
    const timestamp = headers.get('x-timestamp');
    return signature !== null && timestamp !== null && signatureMatches(signature, timestamp, rawBody);
  };

  const verify: VerifyRequest = async (headers, rawBody) => {
    const verdict = await checkHeaders(headers);
    if (verdict === 'needs-body') return checkSignature(headers, rawBody);
    return verdict === 'vapi';
  };

  return Object.assign(verify, { verify, checkHeaders, checkSignature });
}

/** The header a direct caller sends DIRECT_API_SECRET in. */
export const DIRECT_KEY_HEADER = 'x-booking-api-key';

/** Who a request is, from its credential: Vapi (routed by trusted ids) or a direct caller (names its clinic). */
export type Principal = 'vapi' | 'direct';

export interface RequestAuthenticator {
  /** Before the body: a principal, 'needs-body' (HMAC; Vapi once the signature checks), or 'refused'. */
  checkHeaders(headers: HeaderSource): Promise<Principal | 'needs-body' | 'refused'>;
  checkSignature(headers: HeaderSource, rawBody: string | Uint8Array): Promise<boolean>;
}

/**
 * Vapi's modes plus the direct credential. A request carrying `x-booking-api-key` is a direct
 * request and nothing else: it passes on that key alone (never on a Vapi secret beside it),
 * and is refused when no DIRECT_API_SECRET is configured.
 */
export function createRequestAuthenticator(options: { vapi: RequestVerifier; directSecret?: string | undefined }): RequestAuthenticator {
  const { vapi, directSecret } = options;
  if (directSecret !== undefined) assertUsableSecret(directSecret, 'DIRECT_API_SECRET');
  const directMatches = directSecret === undefined ? undefined : createSecretMatcher(directSecret);
  return {
    async checkHeaders(headers) {
      const presented = headers.get(DIRECT_KEY_HEADER);
      if (presented !== null) return directMatches && (await directMatches(presented)) ? 'direct' : 'refused';
      return vapi.checkHeaders(headers);
    },
    checkSignature: (headers, rawBody) => vapi.checkSignature(headers, rawBody),
  };
}
