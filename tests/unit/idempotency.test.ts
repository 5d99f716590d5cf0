import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bookingIdempotencyKey } from '../../supabase/functions/_shared/idempotency.ts';

const ORG = '3f2b9c1e-5d4a-4e8b-9f1a-2c3d4e5f6a7b';
const START = new Date('2026-06-02T15:00:00Z');
const PHONE = '+15554443333';

describe('bookingIdempotencyKey', () => {
  it('is vapi: + SHA-256 hex of call, org, slot and phone', async () => {
    const expected = createHash('sha256')
      .update(JSON.stringify(['call-1', ORG, '2026-06-02T15:00:00.000Z', PHONE]))
      .digest('hex');
    expect(await bookingIdempotencyKey('call-1', ORG, START, PHONE)).toBe(`vapi:${expected}`);
  });

  it('is stable for a retry of the same call (no tool call id involved)', async () => {
    const first = await bookingIdempotencyKey('call-1', ORG, START, PHONE);
    const retry = await bookingIdempotencyKey('call-1', ORG.toUpperCase(), new Date(START.getTime()), PHONE);
    expect(retry).toBe(first);
    expect(first).toMatch(/^vapi:[0-9a-f]{64}$/);
    // Fits appointments.idempotency_key (1..200 characters).
    expect(first?.length).toBe(69);
  });

  it('changes when any input changes', async () => {
    const base = await bookingIdempotencyKey('call-1', ORG, START, PHONE);
    const variants = await Promise.all([
      bookingIdempotencyKey('call-2', ORG, START, PHONE),
      bookingIdempotencyKey('call-1', '00000000-0000-0000-0000-000000000001', START, PHONE),
      bookingIdempotencyKey('call-1', ORG, new Date(START.getTime() + 60_000), PHONE),
      bookingIdempotencyKey('call-1', ORG, START, '+15554443334'),
    ]);
    for (const key of variants) expect(key).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('cannot be forged by moving characters between fields', async () => {
    expect(await bookingIdempotencyKey('a","b', ORG, START, PHONE)).not.toBe(
      await bookingIdempotencyKey('a', `b",${ORG}`, START, PHONE),
    );
  });

  it('is undefined without a call id, so direct callers bring their own key', async () => {
    expect(await bookingIdempotencyKey(undefined, ORG, START, PHONE)).toBeUndefined();
    expect(await bookingIdempotencyKey('', ORG, START, PHONE)).toBeUndefined();
  });

  it('does not contain the phone number', async () => {
    expect(await bookingIdempotencyKey('call-1', ORG, START, PHONE)).not.toContain('5554443333');
  });
});
