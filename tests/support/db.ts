// A pg pool on the test stack. Clinics, slots and the booking call: scripts/lib/fixtures.
import pg from 'pg';
import { requireStackValue } from './stack-env.ts';

export function testPool(max = 10): pg.Pool {
  return new pg.Pool({ connectionString: requireStackValue('DATABASE_URL'), max });
}
