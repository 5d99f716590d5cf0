-- The contact rules of the endpoint (supabase/functions/_shared/contact.ts and phone.ts),
-- mirrored in SQL so the booking function is a faithful backstop for SQL callers, and the
-- leads table refuses what the endpoint would refuse.

-- Control characters, line/paragraph separators and invisible format characters (Unicode
-- category Cf: bidi overrides, zero-width spaces, BOM, tags …) except the zero-width
-- (non-)joiners U+200C/U+200D some scripts need: contact.ts's FORBIDDEN_IN_NAME, listed as
-- code points because Postgres regular expressions have no \p{Cf}.
create or replace function private.has_forbidden_name_characters(p_text text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select p_text ~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b\u200e-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]'
$$;

-- contact.ts normalizeName(): refuse forbidden characters; NFC; every run of Unicode white
-- space (JavaScript's \s, which includes the no-break spaces) becomes one space; trimmed;
-- 1–100 characters with a letter; initcap. null = refused.
-- plpgsql rather than SQL: its plans are cached for the session, where a non-inlined SQL
-- function is planned again in every booking's transaction.
create or replace function private.normalize_name(p_raw text)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v_cleaned text;
begin
  if p_raw is null or private.has_forbidden_name_characters(p_raw) then
    return null;
  end if;
  v_cleaned := pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.normalize(p_raw, 'NFC'),
    '[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'));
  if pg_catalog.char_length(v_cleaned) not between 1 and 100 or v_cleaned !~ '[[:alpha:]]' then
    return null;
  end if;
  return pg_catalog.initcap(v_cleaned);
end;
$$;

-- zod's z.email() pattern (what the endpoint accepts), on the lowercased text, ≤ 254 chars.
create or replace function private.is_valid_email(p_email text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.char_length(p_email) <= 254
     and p_email ~ '^([A-Za-z0-9_''+-]+\.)*[A-Za-z0-9_''+-]*[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$'
$$;

-- Caller phone → E.164, or null when refused. International form as given (+ or 00), with the
-- national trunk prefix written "(0)" dropped as libphonenumber does ('+44 (0)20 …' →
-- '+4420…'); national form only for NANP clinics. A +1 number must be NANP-shaped: ten
-- digits, area code starting 2–9 (libphonenumber's possible-number rule would otherwise be
-- the only check, and '+1 234 567' or '(055) 123-4567' are not numbers). The exchange digit is
-- not checked: the endpoint (isPossible) accepts the 555-01xx style test numbers clinics use.
create or replace function private.normalize_phone(p_raw text, p_country text)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v_raw text := pg_catalog.btrim(p_raw);
  v_digits text;
  v_e164 text;
begin
  -- Only the characters people write phone numbers with.
  if v_raw is null or pg_catalog.char_length(v_raw) > 40 or v_raw !~ '^\+?[0-9 ().\-/]+$' then
    return null;
  end if;
  if v_raw ~ '^(\+|00)' then
    v_raw := pg_catalog.replace(v_raw, '(0)', '');
  end if;
  v_digits := pg_catalog.regexp_replace(v_raw, '[^0-9]', '', 'g');
  v_e164 := case
    when v_raw like '+%' then '+' || v_digits
    when v_digits like '00%' then '+' || pg_catalog.substr(v_digits, 3)
    when p_country in ('US', 'CA', 'PR') and pg_catalog.char_length(v_digits) = 10 then '+1' || v_digits
    when p_country in ('US', 'CA', 'PR') and pg_catalog.char_length(v_digits) = 11 and v_digits like '1%' then '+' || v_digits
  end;
  if v_e164 !~ '^\+[1-9][0-9]{6,14}$' or (v_e164 ~ '^\+1' and v_e164 !~ '^\+1[2-9][0-9]{9}$') then
    return null;
  end if;
  return v_e164;
end;
$$;

revoke all on function private.has_forbidden_name_characters(text), private.normalize_name(text),
  private.is_valid_email(text), private.normalize_phone(text, text) from public;
-- The first and third back table CHECKs that staff (authenticated) and service_role hit.
grant execute on function private.has_forbidden_name_characters(text), private.is_valid_email(text)
  to authenticated, service_role;
grant execute on function private.normalize_name(text), private.normalize_phone(text, text) to service_role;

-- The same rules on every lead written from now on, whoever writes it. NOT VALID: rows stored
-- before this migration are not re-judged here (the audit reports them); new and edited rows are.
alter table public.leads
  add constraint leads_name_visible_check check (not private.has_forbidden_name_characters(name)) not valid,
  add constraint leads_email_format_check check (private.is_valid_email(email)) not valid,
  add constraint leads_phone_nanp_check check (phone !~ '^\+1' or phone ~ '^\+1[2-9][0-9]{9}$') not valid;
