-- title: one active appointment per reschedule chain
-- A chain is an appointment and everything moved from it (rescheduled_from, followed forward).
-- At most one of them may be active, and a moved appointment ('rescheduled') must have exactly
-- one successor: the unique index on rescheduled_from and the move in one subtransaction make
-- anything else impossible unless someone bypassed them. Counts chains, never the data.
-- Optional scope: checks.org_ids (a uuid[] literal).
with recursive scope as (
  select nullif(pg_catalog.current_setting('checks.org_ids', true), '')::uuid[] as org_ids
),
chain (root_id, org_id, id, is_active, depth) as (
  select a.id, a.org_id, a.id, a.is_active, 0
  from public.appointments a
  cross join scope
  where a.rescheduled_from is null
    and (scope.org_ids is null or a.org_id = any (scope.org_ids))
  union all
  select c.root_id, c.org_id, n.id, n.is_active, c.depth + 1
  from chain c
  join public.appointments n on n.org_id = c.org_id and n.rescheduled_from = c.id
  where c.depth < 1000
),
bad_chains as (
  select c.root_id from chain c group by c.root_id having pg_catalog.count(*) filter (where c.is_active) > 1
),
orphaned_moves as (
  -- Moved, yet nothing (or more than one row) took its place.
  select a.id
  from public.appointments a
  cross join scope
  where a.status = 'rescheduled'
    and (scope.org_ids is null or a.org_id = any (scope.org_ids))
    and (select pg_catalog.count(*) from public.appointments n where n.org_id = a.org_id and n.rescheduled_from = a.id) <> 1
)
select 'one_active_per_reschedule_chain'::text as key,
       (select pg_catalog.count(*) from bad_chains) + (select pg_catalog.count(*) from orphaned_moves) = 0 as ok,
       ((select pg_catalog.count(*) from bad_chains) + (select pg_catalog.count(*) from orphaned_moves))::integer as count,
       pg_catalog.format('%s reschedule chain(s) with more than one active appointment; %s moved appointment(s) without exactly one successor',
                         (select pg_catalog.count(*) from bad_chains), (select pg_catalog.count(*) from orphaned_moves)) as detail
