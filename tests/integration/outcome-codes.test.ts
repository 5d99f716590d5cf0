// The codes the SQL can return, read from the migrated database, against the one table in
// codes.ts: a code a migration adds without telling the endpoint would otherwise be spoken as a
// generic failure without a word.
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_CODES, isBookingErrorCode } from '../../supabase/functions/_shared/codes.ts';
import { testPool } from '../support/db.ts';

const pool = testPool(1);
afterAll(async () => { await pool.end(); });

async function sources(): Promise<{ failureTable: string; callers: string[] }> {
  const { rows } = await pool.query<{ name: string; src: string }>(
    `select p.proname as name, p.prosrc as src
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where n.nspname in ('public', 'private')`);
  const failureTable = rows.find((r) => r.name === 'booking_failure')?.src;
  if (!failureTable) throw new Error('private.booking_failure is missing');
  return { failureTable, callers: rows.filter((r) => r.name !== 'booking_failure').map((r) => r.src) };
}

const codesIn = (text: string, pattern: RegExp): Set<string> => new Set([...text.matchAll(pattern)].map((m) => m[1] ?? ''));

describe('outcome codes: the SQL and codes.ts agree', () => {
  it('every code private.booking_failure has a message for is in codes.ts, as a database code', async () => {
    const { failureTable } = await sources();
    const sqlCodes = codesIn(failureTable, /when '([A-Z_]+)' then/g);
    expect(sqlCodes.size).toBeGreaterThan(10);
    expect([...sqlCodes].filter((code) => !DATABASE_CODES.includes(code as never)).sort()).toEqual([]);
    expect([...DATABASE_CODES].filter((code) => !sqlCodes.has(code)).sort()).toEqual([]);
  });

  it('every code a function returns through booking_failure has its own message there and is known to the endpoint', async () => {
    const { failureTable, callers } = await sources();
    const messaged = codesIn(failureTable, /when '([A-Z_]+)' then/g);
    const returned = codesIn(callers.join('\n'), /booking_failure\(\s*'([A-Z_]+)'/g);
    expect(returned.size).toBeGreaterThan(10);
    for (const code of returned) {
      expect(messaged.has(code), `${code} has a safe message in booking_failure`).toBe(true);
      expect(isBookingErrorCode(code), `${code} is in codes.ts`).toBe(true);
    }
  });
});
