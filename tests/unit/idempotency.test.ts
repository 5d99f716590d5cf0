import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bookingIdempotencyKey, type BookingRequestWords } from '../../supabase/functions/_shared/idempotency.ts';

const ORG = '3f2b9c1e-5d4a-4e8b-9f1a-2c3d4e5f6a7b';
const PHONE = '+15554443333';
const WORDS: BookingRequestWords = {
  name: 'Ada Lovelace', phoneE164: PHONE, email: undefined, serviceType: 'checkup', durationMinutes: undefined,
  when: { scheduledAt: '', date: 'tomorrow', time: '10 am' },
};

describe('bookingIdempotencyKey', () => {
  it('is vapi: + SHA-256 hex of the call, the clinic and the caller\'s own words', async () => {
    const expected = createHash('sha256')
      .update(JSON.stringify(['call-1', ORG, PHONE, 'Ada Lovelace', '', 'checkup', null, '', 'tomorrow', '10 am']))
      .digest('hex');
    expect(await bookingIdempotencyKey('call-1', ORG, WORDS)).toBe(`vapi:${expected}`);
  });

  it('holds nothing that depends on the clock: the same words give the same key, whenever retried', async () => {
    const first = await bookingIdempotencyKey('call-1', ORG, WORDS);
    const retry = await bookingIdempotencyKey('call-1', ORG.toUpperCase(), { ...WORDS, when: { ...WORDS.when } });
    expect(retry).toBe(first);
  });

  it('changes when any input changes', async () => {
    const base = await bookingIdempotencyKey('call-1', ORG, WORDS);
    const others = await Promise.all([
      bookingIdempotencyKey('call-2', ORG, WORDS),
      bookingIdempotencyKey('call-1', '00000000-0000-0000-0000-000000000001', WORDS),
      bookingIdempotencyKey('call-1', ORG, { ...WORDS, phoneE164: '+15554443334' }),
      bookingIdempotencyKey('call-1', ORG, { ...WORDS, name: 'Ada King' }),
      bookingIdempotencyKey('call-1', ORG, { ...WORDS, serviceType: 'cleaning' }),
      bookingIdempotencyKey('call-1', ORG, { ...WORDS, durationMinutes: 45 }),
      bookingIdempotencyKey('call-1', ORG, { ...WORDS, email: 'ada@example.com' }),
      bookingIdempotencyKey('call-1', ORG, { ...WORDS, when: { ...WORDS.when, time: '11 am' } }),
      bookingIdempotencyKey('call-1', ORG, { ...WORDS, when: { ...WORDS.when, date: 'friday' } }),
    ]);
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('cannot be forged by moving characters between fields', async () => {
    expect(await bookingIdempotencyKey('a","b', ORG, WORDS)).not.toBe(await bookingIdempotencyKey('a', `b",${ORG}`, WORDS));
  });

  it('is absent without a call id (direct callers bring their own)', async () => {
    expect(await bookingIdempotencyKey(undefined, ORG, WORDS)).toBeUndefined();
    expect(await bookingIdempotencyKey('', ORG, WORDS)).toBeUndefined();
  });

  it('does not contain the phone number', async () => {
    expect(await bookingIdempotencyKey('call-1', ORG, WORDS)).not.toContain('5554443333');
  });
});
