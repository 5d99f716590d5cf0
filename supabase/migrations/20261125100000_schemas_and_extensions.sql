-- Extensions live in `extensions` (advisor lint 0014 flags them in public); `private` holds
-- helpers that must not be exposed through the API (it is not in [api].schemas).
create schema if not exists extensions;
create extension if not exists btree_gist with schema extensions;

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- Shared trigger body for updated_at columns.
create or replace function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
revoke all on function private.touch_updated_at() from public;

-- Accepts only names Postgres knows as IANA zones, so every booking can be placed in local time.
create or replace function private.is_iana_time_zone(p_time_zone text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from pg_catalog.pg_timezone_names where name = p_time_zone)
$$;
revoke all on function private.is_iana_time_zone(text) from public;
