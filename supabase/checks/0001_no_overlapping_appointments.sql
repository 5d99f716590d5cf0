-- title: no overlapping appointments
-- Pairs of active appointments of one calendar (a practitioner, or the clinic when the
-- appointment has none) whose blocked ranges (the appointment with its buffers before and after)
-- overlap. Must be 0: the exclusion constraint makes it impossible unless someone dropped or
-- bypassed it. The buffers are recomputed here, not read from blocked_from/blocked_until, so a
-- dropped trigger or check cannot hide an overlap.
-- Optional scope: set checks.org_ids to a uuid[] literal to look at some clinics only (tests do).
with scope as (
  select nullif(pg_catalog.current_setting('checks.org_ids', true), '')::uuid[] as org_ids
),
pairs as (
  select a.org_id
  from public.appointments a
  join public.appointments b
    on b.org_id = a.org_id and b.calendar_id = a.calendar_id and a.id < b.id
   and pg_catalog.tstzrange(a.scheduled_at - pg_catalog.make_interval(mins => a.buffer_before_minutes),
                            a.ends_at + pg_catalog.make_interval(mins => a.buffer_after_minutes), '[)')
       operator(pg_catalog.&&)
       pg_catalog.tstzrange(b.scheduled_at - pg_catalog.make_interval(mins => b.buffer_before_minutes),
                            b.ends_at + pg_catalog.make_interval(mins => b.buffer_after_minutes), '[)')
  cross join scope
  where a.is_active and b.is_active
    and (scope.org_ids is null or a.org_id = any (scope.org_ids))
)
select 'no_overlapping_appointments'::text as key,
       pg_catalog.count(*) = 0 as ok,
       pg_catalog.count(*)::integer as count,
       pg_catalog.format('%s overlapping pair(s) of active appointments in %s organization(s)',
                         pg_catalog.count(*), pg_catalog.count(distinct pairs.org_id)) as detail
from pairs
