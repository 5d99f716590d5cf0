import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../supabase/functions/_shared/phone.ts';

describe('normalizePhone', () => {
  it.each([
    // Fictional 555 numbers are possible but not valid: they must still book.
    ['(555) 444-3333', 'US', '+15554443333'],
    ['555-444-3333', 'US', '+15554443333'],
    ['555.444.3333', 'US', '+15554443333'],
    ['+15554443333', 'US', '+15554443333'],
    ['+1 555 444 3333', 'GB', '+15554443333'],
    ['1 (555) 444-3333', 'US', '+15554443333'],
    ['  +1 (212) 555-0100  ', 'US', '+12125550100'],
    ['(416) 555-0199', 'CA', '+14165550199'],
    // United Kingdom
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['07700 900123', 'GB', '+447700900123'],
    ['00 44 20 7946 0958', 'GB', '+442079460958'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    // Germany
    ['030 901820', 'DE', '+4930901820'],
    ['+49 30 901820', 'US', '+4930901820'],
    ['0151 23456789', 'DE', '+4915123456789'],
    // Australia
    ['0412 345 678', 'AU', '+61412345678'],
    ['(02) 9374 4000', 'AU', '+61293744000'],
    // Japan, France
    ['03-1234-5678', 'JP', '+81312345678'],
    ['01 23 45 67 89', 'FR', '+33123456789'],
    // Lower-case country codes from configuration are fine.
    ['020 7946 0958', 'gb', '+442079460958'],
  ])('%s (%s) → %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });

  it('reads a national number with the default country, not another', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('020 7946 0958', 'US')).toBeNull();
  });

  it('still accepts international numbers when the default country is unknown', () => {
    expect(normalizePhone('+44 20 7946 0958', 'XX')).toBe('+442079460958');
    expect(normalizePhone('020 7946 0958', '')).toBeNull();
  });

  it.each([
    [undefined],
    [null],
    [''],
    ['   '],
    ['abc'],
    ['call me on 555 444 3333'],
    ['555-444-3333 ext 12'],
    ['1-800-FLOWERS'],
    ['12'],
    ['555 1234'],
    ['+1 555 444 333'],
    ['555 444 33333333'],
    ['+1234567890123456789'],
    ['++15554443333'],
    ['+'],
    ['5554443333#'],
    ['*67 555 444 3333'],
    ['5'.repeat(41)],
  ])('rejects %j', (raw) => {
    expect(normalizePhone(raw, 'US')).toBeNull();
  });

  it('refuses what the database refuses: a +1 number whose area code starts 0 or 1, and the trunk (0) kept', () => {
    expect(normalizePhone('(055) 123-4567', 'US')).toBeNull();
    expect(normalizePhone('+1 155 123 4567', 'US')).toBeNull();
    expect(normalizePhone('+1 234 567', 'US')).toBeNull();
    expect(normalizePhone('+44 (0)20 7946 0958', 'US')).toBe('+442079460958');
    expect(normalizePhone('(555) 010-0003', 'US')).toBe('+15550100003');
  });

  it('only ever returns E.164 that the leads table accepts', () => {
    for (const raw of ['(555) 444-3333', '+44 20 7946 0958', '030 901820']) {
      expect(normalizePhone(raw, 'DE') ?? '+10000000').toMatch(/^\+[1-9][0-9]{6,14}$/);
    }
  });
});
