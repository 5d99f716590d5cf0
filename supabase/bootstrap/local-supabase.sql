-- Local stand-in for what a hosted Supabase database already has before our migrations run.
-- Plain Postgres only (the Docker-free local stack); NEVER a migration: on a Supabase project
-- all of this exists and belongs to Supabase.
--
-- Run as the cluster superuser (supabase_admin, like on hosted projects) with psql variables:
--   postgres_password, authenticator_password
-- Idempotent: safe to run on every start.

\set ON_ERROR_STOP on

-- Roles, with the attributes hosted Supabase gives them. `postgres` is deliberately NOT a
-- superuser: migrations pushed to a project run as a non-superuser, so ours must too.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'postgres') then
    create role postgres login createrole createdb replication bypassrls;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
end
$$;

alter role postgres with login password :'postgres_password';
alter role authenticator with login password :'authenticator_password';
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres with admin option;

-- Supabase's role timeouts: the API can never hold a connection for long.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';

-- The database and its schemas (whichever database this runs in: tests bootstrap scratch ones).
do $$
begin
  execute pg_catalog.format('grant all on database %I to postgres', pg_catalog.current_database());
  execute pg_catalog.format('alter database %I set search_path = "$user", public, extensions', pg_catalog.current_database());
end
$$;
alter schema public owner to postgres;
grant usage on schema public to anon, authenticated, service_role;

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant create on schema extensions to postgres;

-- The trap hosted Supabase sets (docs/architecture.md, "Hosted Supabase facts"): everything postgres
-- creates in public is granted to the API roles unless a migration revokes it. Reproduced
-- here so a missing revoke fails our tests instead of opening production.
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to anon, authenticated, service_role;

-- Extensions that only a superuser may create; hosted projects offer them pre-installed.
create extension if not exists pgtap with schema extensions;
-- plpgsql_check (the engine of `supabase db lint`) is a C extension Debian builds for 15 only;
-- the embedded PostgreSQL 17 has none, and db lint runs on the 15 stack (scripts/test.ts).
do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'plpgsql_check') then
    create extension if not exists plpgsql_check with schema extensions;
  end if;
end
$$;
create extension if not exists pg_stat_statements with schema extensions;

-- Schema `auth`: the minimum of Supabase Auth that RLS policies and tests depend on.
create schema if not exists auth;
grant usage on schema auth to postgres, anon, authenticated, service_role;

create table if not exists auth.users (
  id uuid primary key,
  email text,
  created_at timestamptz not null default pg_catalog.now()
);
grant select, insert, update, delete, references on auth.users to postgres;
grant select on auth.users to service_role;

-- Same semantics as Supabase's: the legacy per-claim setting first, then the claims JSON.
create or replace function auth.uid() returns uuid
language sql stable
set search_path = ''
as $$
  select coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
    (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
set search_path = ''
as $$
  select coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claim.role', true), ''),
    (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
    nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.jwt() to postgres, anon, authenticated, service_role;
