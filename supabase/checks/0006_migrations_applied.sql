-- title: migrations applied
-- Every migration of the repository recorded as applied (what `supabase db push` records), and
-- nothing recorded that the repository does not have (the CLI would refuse the next push).
-- The runner sets checks.migration_versions to the repository's versions, comma-separated.
-- A database that never saw `supabase db push` has no schema_migrations: the check then fails
-- with that error.
with expected as (
  select v as version
  from pg_catalog.unnest(pg_catalog.string_to_array(nullif(pg_catalog.current_setting('checks.migration_versions', true), ''), ',')) as v
),
applied as (
  select m.version::text as version from supabase_migrations.schema_migrations m
),
missing as (
  select e.version from expected e where e.version not in (select a.version from applied a)
),
unknown as (
  select a.version from applied a where a.version not in (select e.version from expected e)
)
select 'migrations_applied'::text as key,
       (select pg_catalog.count(*) from missing) + (select pg_catalog.count(*) from unknown) = 0
         and (select pg_catalog.count(*) from expected) > 0 as ok,
       ((select pg_catalog.count(*) from missing) + (select pg_catalog.count(*) from unknown))::integer as count,
       case
         when (select pg_catalog.count(*) from expected) = 0 then 'checks.migration_versions is not set: nothing to compare'
         when (select pg_catalog.count(*) from missing) + (select pg_catalog.count(*) from unknown) = 0 then
           pg_catalog.format('all %s migration(s) applied, latest %s', (select pg_catalog.count(*) from expected),
                             (select pg_catalog.max(version) from expected))
         else pg_catalog.concat_ws('; ',
           'missing: ' || (select pg_catalog.string_agg(version, ', ' order by version) from missing),
           'applied but not in the repository: ' || (select pg_catalog.string_agg(version, ', ' order by version) from unknown))
       end as detail
