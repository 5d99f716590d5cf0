// The committed database types must be what the CLI generates from the migrations now:
// a migration changed without `npm run db:types` fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from '../../scripts/lib/db-types.ts';
import { requireStackValue } from '../support/stack-env.ts';

describe('generated database types', () => {
  it('are up to date with supabase/migrations (run `npm run db:types` if this fails)', async () => {
    const generated = await generateDatabaseTypes(requireStackValue('DATABASE_URL'));
    expect(generated).toContain('book_appointment_atomic');
    expect(readFileSync(DATABASE_TYPES_FILE, 'utf8')).toBe(generated);
  });
});
