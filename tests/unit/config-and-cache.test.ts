// Start-up configuration and the per-instance org cache.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../supabase/functions/_shared/config.ts';
import { cachedOrgResolver } from '../../supabase/functions/_shared/org-cache.ts';
import type { OrgContext, OrgLookup } from '../../supabase/functions/_shared/booking-db.ts';
import { ONE_CALENDAR } from '../support/fake-booking-db.ts';

const FULL: Record<string, string> = { SUPABASE_URL: 'http://127.0.0.1:54321', SUPABASE_SERVICE_ROLE_KEY: 'service-key', VAPI_SECRET: 's3cret' };
const from = (env: Record<string, string>) => (name: string): string | undefined => env[name];

describe('loadConfig', () => {
  it('names every missing setting, and no value', () => {
    expect(() => loadConfig(from({}))).toThrow(new ConfigError(
      'vapi-booking cannot start: missing SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, VAPI_SECRET (see README "Deploy to Supabase and connect Vapi")'));
    expect(() => loadConfig(from({ ...FULL, VAPI_SECRET: '' }))).toThrow(/missing VAPI_SECRET \(/);
  });

  it('refuses a malformed URL or limit instead of half-working', () => {
    expect(() => loadConfig(from({ ...FULL, SUPABASE_URL: 'localhost:54321' }))).toThrow(/SUPABASE_URL must be an http/);
    expect(() => loadConfig(from({ ...FULL, BOOKING_RPC_TIMEOUT_MS: '-5' }))).toThrow(/BOOKING_RPC_TIMEOUT_MS must be a positive integer/);
  });

  it('has defaults inside Vapi\'s 20 s tool timeout', () => {
    expect(loadConfig(from(FULL))).toEqual({
      supabaseUrl: FULL.SUPABASE_URL, serviceRoleKey: 'service-key', vapiSecret: 's3cret', directApiSecret: undefined,
      hmacToleranceSeconds: 300, rpcTimeoutMs: 8000, maxBodyBytes: 65536,
      requestDeadlineMs: 15_000, maxToolCalls: 5, clinicConcurrency: 4,
    });
  });
});

describe('loadConfig: the direct credential and the deadline', () => {
  it('keeps the direct shape off unless DIRECT_API_SECRET is set, and never equal to the Vapi secret', () => {
    expect(loadConfig(from(FULL)).directApiSecret).toBeUndefined();
    expect(loadConfig(from({ ...FULL, DIRECT_API_SECRET: 'a-long-direct-secret-1' })).directApiSecret).toBe('a-long-direct-secret-1');
    expect(() => loadConfig(from({ ...FULL, VAPI_SECRET: 'same-secret-for-both-1', DIRECT_API_SECRET: 'same-secret-for-both-1' }))).toThrow(/must differ from VAPI_SECRET/);
    expect(() => loadConfig(from({ ...FULL, DIRECT_API_SECRET: 'short' }))).toThrow(/at least 16/);
  });

  it('refuses a request deadline that Vapi would not wait for', () => {
    expect(loadConfig(from({ ...FULL, REQUEST_DEADLINE_MS: '18000' })).requestDeadlineMs).toBe(18_000);
    expect(() => loadConfig(from({ ...FULL, REQUEST_DEADLINE_MS: '20000' }))).toThrow(/REQUEST_DEADLINE_MS must be at most 18000/);
  });
});

describe('cachedOrgResolver', () => {
  it('remembers a route mismatch only as briefly as a miss', async () => {
    let clock = 0;
    let calls = 0;
    const resolve = cachedOrgResolver(async () => { calls += 1; return { routeMismatch: true }; }, { now: () => clock });
    expect(await resolve({ assistantId: 'a', phoneNumberId: 'p' })).toEqual({ routeMismatch: true });
    clock = 4_999;
    await resolve({ assistantId: 'a', phoneNumberId: 'p' });
    expect(calls).toBe(1);
    clock = 5_001;
    await resolve({ assistantId: 'a', phoneNumberId: 'p' });
    expect(calls).toBe(2);
  });

  const ORG: OrgContext = { orgId: 'o1', timeZone: 'UTC', defaultCountry: 'US', defaultDurationMinutes: 30, horizonDays: 365, businessHours: [], ...ONE_CALENDAR };

  it('asks the database once per minute per routing key, and again after expiry', async () => {
    let clock = 0;
    const calls: OrgLookup[] = [];
    const resolve = cachedOrgResolver(async (lookup) => { calls.push(lookup); return ORG; }, { now: () => clock });
    await resolve({ assistantId: 'a' });
    await resolve({ assistantId: 'a' });
    await resolve({ assistantId: 'b' });
    clock = 60_001;
    await resolve({ assistantId: 'a' });
    expect(calls).toEqual([{ assistantId: 'a' }, { assistantId: 'b' }, { assistantId: 'a' }]);
  });

  it('remembers an unknown id only briefly and never caches a failure', async () => {
    let clock = 0;
    let answer: 'miss' | 'fail' | 'hit' = 'miss';
    let calls = 0;
    const resolve = cachedOrgResolver(async () => {
      calls += 1;
      if (answer === 'fail') throw new Error('down');
      return answer === 'hit' ? ORG : null;
    }, { now: () => clock });
    expect(await resolve({ assistantId: 'new' })).toBeNull();
    expect(await resolve({ assistantId: 'new' })).toBeNull();
    expect(calls).toBe(1);
    clock = 5_001;
    answer = 'fail';
    await expect(resolve({ assistantId: 'new' })).rejects.toThrow('down');
    answer = 'hit';
    expect(await resolve({ assistantId: 'new' })).toEqual(ORG);
    expect(calls).toBe(3);
  });
});
