import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRequestAuthenticator, createRequestVerifier, timingSafeEqual, type HeaderSource } from '../../supabase/functions/_shared/auth.ts';

const SECRET = 'vapi-s3cret-Value';
const BODY = '{"message":{"type":"tool-calls","toolCallList":[]}}';
const NOW_MS = Date.UTC(2026, 5, 1, 12, 0, 0);
const NOW_S = Math.floor(NOW_MS / 1000);

function sign(timestamp: string, body: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Headers that keep values byte for byte, unlike fetch's Headers (which trims). */
function rawHeaders(values: Record<string, string>): HeaderSource {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower.get(name.toLowerCase()) ?? null };
}

function verifier(options: { now?: number; tolerance?: number; cache?: number } = {}) {
  return createRequestVerifier({
    secret: SECRET,
    now: () => options.now ?? NOW_MS,
    ...(options.tolerance === undefined ? {} : { toleranceSeconds: options.tolerance }),
    ...(options.cache === undefined ? {} : { replayCacheSize: options.cache }),
  });
}

function hmacHeaders(timestamp: string | number, signature?: string, body = BODY): Headers {
  const ts = String(timestamp);
  return new Headers({ 'x-timestamp': ts, 'x-signature': signature ?? sign(ts, body) });
}

describe('createRequestVerifier: configuration', () => {
  it.each([[''], ['   '], [' padded'], ['padded '], ['trailing-newline\n']])('refuses secret %j', (secret) => {
    expect(() => createRequestVerifier({ secret })).toThrow(/Vapi secret/);
  });

  it('does not put the secret in its error', () => {
    try {
      createRequestVerifier({ secret: ' my-real-secret' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('my-real-secret');
    }
  });

  it('refuses a non-positive tolerance or cache size', () => {
    expect(() => createRequestVerifier({ secret: SECRET, toleranceSeconds: 0 })).toThrow();
    expect(() => createRequestVerifier({ secret: SECRET, toleranceSeconds: Number.NaN })).toThrow();
    expect(() => createRequestVerifier({ secret: SECRET, replayCacheSize: 0 })).toThrow();
    expect(() => createRequestVerifier({ secret: SECRET, replayCacheSize: 1.5 })).toThrow();
  });

  it('is callable directly and as .verify', async () => {
    const v = verifier();
    const headers = new Headers({ 'x-vapi-secret': SECRET });
    expect(await v(headers, BODY)).toBe(true);
    expect(await v.verify(headers, BODY)).toBe(true);
  });
});

describe('x-vapi-secret', () => {
  const v = verifier();

  it('accepts the exact secret', async () => {
    expect(await v(new Headers({ 'x-vapi-secret': SECRET }), BODY)).toBe(true);
    expect(await v(new Headers({ 'X-Vapi-Secret': SECRET }), BODY)).toBe(true);
  });

  it('rejects a request without credentials', async () => {
    expect(await v(new Headers(), BODY)).toBe(false);
    expect(await v(new Headers({ 'content-type': 'application/json' }), BODY)).toBe(false);
  });

  it.each([
    ['wrong', 'not-the-secret'],
    ['empty', ''],
    ['case-changed', SECRET.toUpperCase()],
    ['case-changed (one letter)', SECRET.replace('V', 'v')],
    ['prefix', SECRET.slice(0, -1)],
    ['longer', `${SECRET}x`],
    ['leading space', ` ${SECRET}`],
    ['trailing space', `${SECRET} `],
    ['tab padded', `\t${SECRET}`],
    ['doubled', `${SECRET}${SECRET}`],
  ])('rejects a %s secret', async (_label, value) => {
    expect(await v(rawHeaders({ 'x-vapi-secret': value }), BODY)).toBe(false);
  });

  it('sees what an HTTP server sees: fetch Headers drop surrounding whitespace themselves', async () => {
    const headers = new Headers({ 'x-vapi-secret': ` ${SECRET} ` });
    expect(headers.get('x-vapi-secret')).toBe(SECRET);
    expect(await v(headers, BODY)).toBe(true);
  });
});

describe('Authorization: Bearer', () => {
  const v = verifier();

  it('accepts the exact token; the scheme is case-insensitive', async () => {
    expect(await v(new Headers({ authorization: `Bearer ${SECRET}` }), BODY)).toBe(true);
    expect(await v(new Headers({ authorization: `bearer ${SECRET}` }), BODY)).toBe(true);
  });

  it.each([
    ['wrong token', 'Bearer nope'],
    ['case-changed token', `Bearer ${SECRET.toLowerCase()}`],
    ['padded token', `Bearer  ${SECRET}`],
    ['trailing padding', `Bearer ${SECRET} `],
    ['no scheme', SECRET],
    ['other scheme', `Basic ${SECRET}`],
    ['no token', 'Bearer'],
    ['empty token', 'Bearer '],
  ])('rejects %s', async (_label, value) => {
    expect(await v(rawHeaders({ authorization: value }), BODY)).toBe(false);
  });

  it('passes when any mode passes', async () => {
    const headers = new Headers({ 'x-vapi-secret': 'wrong', authorization: `Bearer ${SECRET}` });
    expect(await v(headers, BODY)).toBe(true);
  });
});

describe('HMAC signature', () => {
  it('accepts a fresh signature with a timestamp in seconds', async () => {
    expect(await verifier()(hmacHeaders(NOW_S), BODY)).toBe(true);
  });

  it('accepts a timestamp in milliseconds', async () => {
    expect(await verifier()(hmacHeaders(NOW_MS), BODY)).toBe(true);
  });

  it('accepts a sha256= prefix and upper-case hex', async () => {
    const v = verifier();
    expect(await v(hmacHeaders(NOW_S, `sha256=${sign(String(NOW_S), BODY)}`), BODY)).toBe(true);
    expect(await v(hmacHeaders(NOW_S + 1, sign(String(NOW_S + 1), BODY).toUpperCase()), BODY)).toBe(true);
  });

  it('signs the raw bytes: a Uint8Array body verifies the same way', async () => {
    const body = '{"name":"Zoë"}';
    expect(await verifier()(hmacHeaders(NOW_S, undefined, body), new TextEncoder().encode(body))).toBe(true);
  });

  it('rejects a signature for another body, secret or timestamp', async () => {
    const v = verifier();
    expect(await v(hmacHeaders(NOW_S), `${BODY} `)).toBe(false);
    expect(await v(hmacHeaders(NOW_S, sign(String(NOW_S), BODY, 'other-secret')), BODY)).toBe(false);
    expect(await v(hmacHeaders(NOW_S, sign(String(NOW_S - 1), BODY)), BODY)).toBe(false);
    expect(await v(hmacHeaders(NOW_S, sign(String(NOW_S), BODY, SECRET.toUpperCase())), BODY)).toBe(false);
  });

  it.each([
    ['one hex digit short', (s: string) => s.slice(0, -1)],
    ['one hex digit flipped', (s: string) => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`],
    ['not hex', (s: string) => `${s.slice(0, -1)}g`],
    ['padded', (s: string) => ` ${s}`],
    ['empty', () => ''],
    ['other prefix', (s: string) => `sha1=${s}`],
  ])('rejects a signature that is %s', async (_label, mutate) => {
    const v = verifier();
    const headers = rawHeaders({ 'x-timestamp': String(NOW_S), 'x-signature': mutate(sign(String(NOW_S), BODY)) });
    expect(await v(headers, BODY)).toBe(false);
  });

  it('rejects a missing or malformed timestamp', async () => {
    const v = verifier();
    const signature = sign(String(NOW_S), BODY);
    expect(await v(new Headers({ 'x-signature': signature }), BODY)).toBe(false);
    expect(await v(new Headers({ 'x-timestamp': String(NOW_S) }), BODY)).toBe(false);
    for (const ts of ['', 'abc', '-1', '1.5', '1e9', `${NOW_S} `]) {
      expect(await v(rawHeaders({ 'x-timestamp': ts, 'x-signature': sign(ts, BODY) }), BODY)).toBe(false);
    }
  });

  it('rejects a stale timestamp just outside the window and accepts one at its edge', async () => {
    expect(await verifier()(hmacHeaders(NOW_S - 301), BODY)).toBe(false);
    expect(await verifier()(hmacHeaders(NOW_S - 300), BODY)).toBe(true);
    expect(await verifier()(hmacHeaders(NOW_MS - 300_001), BODY)).toBe(false);
  });

  it('rejects a timestamp too far in the future', async () => {
    expect(await verifier()(hmacHeaders(NOW_S + 301), BODY)).toBe(false);
    expect(await verifier()(hmacHeaders(NOW_S + 300), BODY)).toBe(true);
  });

  it('honours a custom tolerance', async () => {
    expect(await verifier({ tolerance: 30 })(hmacHeaders(NOW_S - 31), BODY)).toBe(false);
    expect(await verifier({ tolerance: 30 })(hmacHeaders(NOW_S - 29), BODY)).toBe(true);
  });

  it('rejects a replayed (timestamp, signature) pair, whatever its spelling', async () => {
    const v = verifier();
    const signature = sign(String(NOW_S), BODY);
    expect(await v(hmacHeaders(NOW_S, signature), BODY)).toBe(true);
    expect(await v(hmacHeaders(NOW_S, signature), BODY)).toBe(false);
    expect(await v(hmacHeaders(NOW_S, `sha256=${signature}`), BODY)).toBe(false);
    expect(await v(hmacHeaders(NOW_S, signature.toUpperCase()), BODY)).toBe(false);
  });

  it('lets only one of two concurrent replays through', async () => {
    const v = verifier();
    const results = await Promise.all([v(hmacHeaders(NOW_S), BODY), v(hmacHeaders(NOW_S), BODY)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('does not let failed attempts fill the replay cache', async () => {
    const v = verifier({ cache: 1 });
    const good = hmacHeaders(NOW_S);
    expect(await v(good, BODY)).toBe(true);
    for (let i = 0; i < 5; i += 1) expect(await v(hmacHeaders(NOW_S + i, '0'.repeat(64)), BODY)).toBe(false);
    expect(await v(good, BODY)).toBe(false);
  });

  it('keeps the replay cache bounded, forgetting the oldest entry first', async () => {
    const v = verifier({ cache: 2 });
    const a = hmacHeaders(NOW_S - 2);
    const b = hmacHeaders(NOW_S - 1);
    const c = hmacHeaders(NOW_S);
    expect(await v(a, BODY)).toBe(true);
    expect(await v(b, BODY)).toBe(true);
    expect(await v(c, BODY)).toBe(true);
    expect(await v(c, BODY)).toBe(false);
    expect(await v(b, BODY)).toBe(false);
    // The bound's trade-off: the oldest pair was forgotten. Stale pairs are refused anyway.
    expect(await v(a, BODY)).toBe(true);
  });

  it('a replay after the window is refused as stale, and the cache forgets it', async () => {
    let now = NOW_MS;
    const v = createRequestVerifier({ secret: SECRET, now: () => now, replayCacheSize: 1 });
    const old = hmacHeaders(NOW_S);
    expect(await v(old, BODY)).toBe(true);
    now += 301_000;
    expect(await v(old, BODY)).toBe(false);
    expect(await v(hmacHeaders(Math.floor(now / 1000)), BODY)).toBe(true);
  });

  it('fails when every mode present fails (wrong secret and bad HMAC)', async () => {
    const headers = new Headers({ 'x-vapi-secret': 'wrong', 'x-timestamp': String(NOW_S), 'x-signature': '0'.repeat(64) });
    expect(await verifier()(headers, BODY)).toBe(false);
  });
});

describe('timingSafeEqual', () => {
  const bytes = (...values: number[]) => new Uint8Array(values);
  it('compares content and length', () => {
    expect(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true);
    expect(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2, 4))).toBe(false);
    expect(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2))).toBe(false);
    expect(timingSafeEqual(bytes(1, 2), bytes(1, 2, 0))).toBe(false);
    expect(timingSafeEqual(bytes(), bytes())).toBe(true);
  });
});

describe('before the body: checkHeaders', () => {
  it('verifies the secret headers alone, and refuses a malformed or stale signature without the body', async () => {
    const v = verifier();
    expect(await v.checkHeaders(new Headers({ 'x-vapi-secret': SECRET }))).toBe('vapi');
    expect(await v.checkHeaders(new Headers({ authorization: `Bearer ${SECRET}` }))).toBe('vapi');
    expect(await v.checkHeaders(new Headers({ 'x-vapi-secret': 'nope' }))).toBe('refused');
    expect(await v.checkHeaders(new Headers())).toBe('refused');
    expect(await v.checkHeaders(hmacHeaders(NOW_S))).toBe('needs-body');
    expect(await v.checkHeaders(hmacHeaders(NOW_S - 301))).toBe('refused');
    expect(await v.checkHeaders(hmacHeaders(NOW_S, 'not-hex'))).toBe('refused');
    expect(await v.checkSignature(hmacHeaders(NOW_S), BODY)).toBe(true);
  });
});

describe('createRequestAuthenticator: the direct credential', () => {
  const DIRECT = 'direct-key-0123456789abcdef';
  const vapi = verifier();

  it('is off without DIRECT_API_SECRET: the direct header is refused', async () => {
    const auth = createRequestAuthenticator({ vapi });
    expect(await auth.checkHeaders(new Headers({ 'x-booking-api-key': DIRECT }))).toBe('refused');
    expect(await auth.checkHeaders(new Headers({ 'x-booking-api-key': '' }))).toBe('refused');
  });

  it('names the principal by its credential; the Vapi secret never passes as the direct key', async () => {
    const auth = createRequestAuthenticator({ vapi, directSecret: DIRECT });
    expect(await auth.checkHeaders(new Headers({ 'x-booking-api-key': DIRECT }))).toBe('direct');
    expect(await auth.checkHeaders(new Headers({ 'x-vapi-secret': SECRET }))).toBe('vapi');
    expect(await auth.checkHeaders(new Headers({ 'x-booking-api-key': SECRET }))).toBe('refused');
    expect(await auth.checkHeaders(new Headers({ authorization: `Bearer ${DIRECT}` }))).toBe('refused');
    // A wrong direct key is not rescued by a right Vapi secret beside it.
    expect(await auth.checkHeaders(new Headers({ 'x-booking-api-key': 'wrong', 'x-vapi-secret': SECRET }))).toBe('refused');
  });

  it('refuses a blank or padded direct secret at start-up', () => {
    expect(() => createRequestAuthenticator({ vapi, directSecret: ' padded-direct-key-0000 ' })).toThrow(/DIRECT_API_SECRET/);
    expect(() => createRequestAuthenticator({ vapi, directSecret: '  ' })).toThrow(/DIRECT_API_SECRET/);
  });
});
