-- Who may execute what. Supabase's default privileges (reproduced by the local bootstrap)
-- would hand every new function to anon: the migrations must take it back.
begin;
\ir fixtures/helpers.psql
select plan(20);

-- The one booking function, whatever its signature (supabase/checks/0003 is where it is written).
select ok(not has_function_privilege('anon', 'public.book_appointment_atomic'::regproc, 'execute'), 'anon cannot execute the booking function');
select ok(not has_function_privilege('authenticated', 'public.book_appointment_atomic'::regproc, 'execute'), 'authenticated cannot execute the booking function');
select ok(has_function_privilege('service_role', 'public.book_appointment_atomic'::regproc, 'execute'), 'service_role can execute the booking function');
select ok(not has_function_privilege('public', 'public.book_appointment_atomic'::regproc, 'execute'),
  'PUBLIC cannot execute the booking function');
select ok(not has_function_privilege('anon', 'public.check_availability(uuid,date,integer,text,uuid)', 'execute'), 'anon cannot execute check_availability');
select ok(not has_function_privilege('authenticated', 'public.check_availability(uuid,date,integer,text,uuid)', 'execute'), 'authenticated cannot execute check_availability');
select ok(has_function_privilege('service_role', 'public.check_availability(uuid,date,integer,text,uuid)', 'execute'), 'service_role can execute check_availability');
select ok(not has_function_privilege('anon', 'public.resolve_booking_org(text,text,uuid)', 'execute'), 'anon cannot resolve orgs');
select ok(not has_function_privilege('authenticated', 'public.resolve_booking_org(text,text,uuid)', 'execute'), 'authenticated cannot resolve orgs');

-- No public function at all is executable by anon (the default-privileges trap).
select is_empty($$
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'execute') $$,
  'anon can execute no function in public');

-- anon holds no table privilege; authenticated only what RLS then narrows.
select table_privs_are('public', 'leads', 'anon', array[]::text[], 'anon has no privilege on leads');
select table_privs_are('public', 'appointments', 'anon', array[]::text[], 'anon has no privilege on appointments');
select table_privs_are('public', 'organizations', 'anon', array[]::text[], 'anon has no privilege on organizations');
select table_privs_are('public', 'leads', 'authenticated', array['DELETE', 'INSERT', 'SELECT', 'UPDATE'], 'authenticated: CRUD on leads (under RLS)');
select table_privs_are('public', 'organization_members', 'authenticated', array['SELECT'], 'authenticated only reads memberships');
select table_privs_are('public', 'organizations', 'authenticated', array['SELECT', 'UPDATE'], 'authenticated reads and edits orgs (under RLS)');

-- The private schema is not exposed and its helpers are not callable by anon.
select ok(not has_schema_privilege('anon', 'private', 'usage'), 'anon has no usage on schema private');
select ok(not has_function_privilege('anon', 'private.member_org_ids()', 'execute'), 'anon cannot call the membership helper');

-- Every function we own pins its search_path.
select is_empty($$
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('public', 'private')
    and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%') $$,
  'every function in public and private sets search_path');
select ok((select 'lock_timeout=3s' = any(proconfig) from pg_proc where oid = 'public.book_appointment_atomic'::regproc::regprocedure),
  'the booking function bounds its lock waits (3 s in all; each wait gets what is left)');

select * from finish();
rollback;
