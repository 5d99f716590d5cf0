-- title: booking function grants
-- anon and authenticated (directly or through PUBLIC) must not execute any public
-- book_appointment% function; the edge function's service_role must execute it.
with functions as (
  select p.oid, p.proname, pg_catalog.oidvectortypes(p.proargtypes) as args
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.proname like 'book\_appointment%'
),
problems as (
  select pg_catalog.format('%s can execute %I(%s)', r.rolname, f.proname, f.args) as problem
  from functions f
  cross join pg_catalog.pg_roles r
  where r.rolname in ('anon', 'authenticated')
    and pg_catalog.has_function_privilege(r.oid, f.oid, 'execute')
  union all
  select pg_catalog.format('service_role cannot execute %I(%s)', f.proname, f.args)
  from functions f
  where exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role')
    and not pg_catalog.has_function_privilege('service_role', f.oid, 'execute')
)
select 'booking_function_grants'::text as key,
       pg_catalog.count(*) = 0 as ok,
       pg_catalog.count(*)::integer as count,
       coalesce(pg_catalog.string_agg(problem, ', ' order by problem),
                'anon and authenticated cannot execute it; service_role can') as detail
from problems
