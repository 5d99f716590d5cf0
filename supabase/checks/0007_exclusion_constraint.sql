-- title: exclusion constraint
-- The overlap guard on appointments is present, validated and shaped as one: per clinic and
-- calendar (practitioner, or the clinic), overlap of the blocked range (buffers included),
-- active rows only.
with c as (
  select c.convalidated as validated, pg_catalog.pg_get_constraintdef(c.oid) as definition,
         c.contype = 'x'
           and pg_catalog.pg_get_constraintdef(c.oid) ~ 'org_id WITH ='
           and pg_catalog.pg_get_constraintdef(c.oid) ~ 'calendar_id WITH ='
           and pg_catalog.pg_get_constraintdef(c.oid) ~ 'tstzrange\(blocked_from, blocked_until, ''\[\)''::text\) WITH &&'
           and pg_catalog.pg_get_constraintdef(c.oid) ~ 'WITH &&'
           and pg_catalog.pg_get_constraintdef(c.oid) ~ 'WHERE \(is_active\)' as shaped
  from pg_catalog.pg_constraint c
  where c.conrelid = pg_catalog.to_regclass('public.appointments') and c.conname = 'appointments_no_overlap'
)
select 'exclusion_constraint'::text as key,
       coalesce((select shaped and validated from c), false) as ok,
       case when coalesce((select shaped and validated from c), false) then 0 else 1 end as count,
       coalesce((select case when shaped and validated then 'present and validated'
                             else (case when validated then 'validated' else 'NOT validated' end) || ': ' || definition end from c),
                'appointments_no_overlap is missing') as detail
