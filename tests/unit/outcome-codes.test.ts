// The README's "Error codes" table lists exactly the codes of codes.ts, each with who produces it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOMES, type OutcomeCode } from '../../supabase/functions/_shared/codes.ts';
import { errorMessage } from '../../supabase/functions/_shared/speech.ts';
import { isBookingErrorCode } from '../../supabase/functions/_shared/codes.ts';

const README = readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

function readmeTable(): Map<string, string> {
  const section = README.split(/^## /m).find((s) => s.startsWith('Error codes'));
  if (!section) throw new Error('README has no "Error codes" section');
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|/.exec(line);
    if (!cells) continue;
    const [, code = '', from = '', answer = ''] = cells;
    if (rows.has(code)) throw new Error(`${code} is listed twice in the README`);
    rows.set(code, `${from.trim()}, ${answer.trim()}`);
  }
  return rows;
}

const FROM_WORDING: Record<(typeof OUTCOMES)[OutcomeCode]['from'], string> = {
  database: 'database',
  endpoint: 'endpoint',
  both: 'database / endpoint',
};

describe('outcome codes', () => {
  it('the README lists every code once, and no other', () => {
    expect([...readmeTable().keys()].sort()).toEqual(Object.keys(OUTCOMES).sort());
  });

  it('the README says who produces each code and how it is answered, as codes.ts does', () => {
    const table = readmeTable();
    for (const [code, spec] of Object.entries(OUTCOMES)) expect(`${code}: ${table.get(code)}`).toBe(`${code}: ${FROM_WORDING[spec.from]}, ${spec.answer}`);
  });

  it('every failure code has its own spoken line (no code falls back to another\'s words)', () => {
    const failures = Object.keys(OUTCOMES).filter(isBookingErrorCode);
    for (const code of failures) expect(errorMessage(code).length, code).toBeGreaterThan(10);
  });
});
