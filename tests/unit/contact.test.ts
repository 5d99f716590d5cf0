import { describe, expect, it } from 'vitest';
import { initcap, normalizeEmail, normalizeName } from '../../supabase/functions/_shared/contact.ts';

describe('normalizeName', () => {
  it.each([
    ["jOHN o'brien", "John O'Brien"],
    ['mary-jane smith', 'Mary-Jane Smith'],
    ['josé álvarez', 'José Álvarez'],
    ['  JOHN    SMITH ', 'John Smith'],
    ['anna\u00a0lee', 'Anna Lee'],
    ['zoë o’neil', 'Zoë O’Neil'],
    ['ÉMILE ZOLA', 'Émile Zola'],
    ['björn ångström', 'Björn Ångström'],
    ['łukasz żółw', 'Łukasz Żółw'],
    ['σωκράτης παππάς', 'Σωκράτης Παππάς'],
    ['иван петров', 'Иван Петров'],
    ['李 小龍', '李 小龍'],
    ['john smith 3rd', 'John Smith 3rd'],
    // initcap has no notion of "Mc"/"van": this is what the database stores too.
    ['McDonald', 'Mcdonald'],
    ['ludwig van beethoven', 'Ludwig Van Beethoven'],
    ['a', 'A'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeName(raw)).toBe(expected);
  });

  it('composes decomposed accents first (NFC)', () => {
    expect(normalizeName('jose\u0301 a\u0301lvarez')).toBe('José Álvarez');
  });

  it.each([
    [undefined],
    [null],
    [''],
    ['    '],
    ['123'],
    ["-'-"],
    ['john\nsmith'],
    ['john\tsmith'],
    ['john\u0000smith'],
    ['john\u2028smith'],
    ['a'.repeat(101)],
  ])('rejects %j', (raw) => {
    expect(normalizeName(raw)).toBeNull();
  });

  it('accepts exactly 100 characters, counted as characters not UTF-16 units', () => {
    expect(normalizeName('a'.repeat(100))).toBe(`A${'a'.repeat(99)}`);
    expect(normalizeName('𝒜'.repeat(100))).toBe('𝒜'.repeat(100));
  });

  it('is a fixed point of initcap (the database applies it again)', () => {
    for (const raw of ["jOHN o'brien", 'mary-jane smith', 'josé álvarez', 'straße', 'İSTANBUL', 'ǆ ǈ']) {
      const name = normalizeName(raw);
      expect(name).not.toBeNull();
      expect(initcap(name ?? '')).toBe(name);
    }
  });
});

describe('initcap (Postgres semantics)', () => {
  it.each([
    ["jOHN o'brien", "John O'Brien"],
    ['hello WORLD', 'Hello World'],
    ['x1y z_a', 'X1y Z_A'],
    ['o.k. fine', 'O.K. Fine'],
    ['2nd avenue', '2nd Avenue'],
    // ß has no single upper-case character: Postgres keeps it, and so do we.
    ['ßa', 'ßa'],
  ])('initcap(%j) = %j', (raw, expected) => {
    expect(initcap(raw)).toBe(expected);
  });
});

describe('normalizeEmail', () => {
  it('treats missing as not given', () => {
    expect(normalizeEmail(undefined)).toBeUndefined();
    expect(normalizeEmail(null)).toBeUndefined();
    expect(normalizeEmail('')).toBeUndefined();
    expect(normalizeEmail('   ')).toBeUndefined();
  });

  it('trims and lower-cases', () => {
    expect(normalizeEmail('  John.Smith+Clinic@Example.COM ')).toBe('john.smith+clinic@example.com');
    expect(normalizeEmail('a@b.co')).toBe('a@b.co');
  });

  it.each(['john', 'john@', '@example.com', 'john@example', 'john smith@example.com', 'john@@example.com', 'john at example dot com', `${'a'.repeat(250)}@example.com`])(
    'rejects %j',
    (raw) => {
      expect(normalizeEmail(raw)).toBeNull();
    },
  );
});

describe('normalizeName: invisible characters', () => {
  it('refuses bidi overrides and zero-width spaces that would disguise a name, keeps joiners', () => {
    expect(normalizeName('Ann\u202Eeel')).toBeNull();
    expect(normalizeName('Ann\u200BLee')).toBeNull();
    expect(normalizeName('\uFEFFAnn Lee')).toBeNull();
    expect(normalizeName('\u0645\u200C\u0645')).toBe('\u0645\u200C\u0645');
  });
});
