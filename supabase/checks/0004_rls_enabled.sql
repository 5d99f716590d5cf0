-- title: row level security
-- RLS on every table of the exposed schema, and policies on the tables staff read (RLS with no
-- policy would lock staff out rather than protect them).
with tables as (
  select c.relname::text as name, c.relrowsecurity as rls,
         (select pg_catalog.count(*)::integer from pg_catalog.pg_policy p where p.polrelid = c.oid) as policies
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p')
),
staff_tables(name) as (values ('leads'), ('appointments')),
problems as (
  select t.name || ': RLS off' as problem from tables t where not t.rls
  union all
  select s.name || case when t.name is null then ': missing' else ': no policies' end
  from staff_tables s left join tables t on t.name = s.name
  where t.name is null or t.policies = 0
)
select 'rls_enabled'::text as key,
       (select pg_catalog.count(*) from problems) = 0 as ok,
       (select pg_catalog.count(*)::integer from problems) as count,
       coalesce((select pg_catalog.string_agg(problem, ', ' order by problem) from problems),
                pg_catalog.format('RLS on all %s public table(s); policies: %s',
                  (select pg_catalog.count(*) from tables),
                  (select pg_catalog.string_agg(s.name || ' ' || coalesce(t.policies, 0), ', ' order by s.name desc)
                   from staff_tables s left join tables t on t.name = s.name))) as detail
