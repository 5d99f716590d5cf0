-- title: booking events have their appointment
-- Every outbox row names an appointment of its own clinic (the foreign key makes anything else
-- impossible unless someone dropped it), and its kind fits the appointment: 'booked' and
-- 'rescheduled' events belong to the appointment that was made, 'rescheduled' only to one made
-- by a move, 'cancelled' only to a cancelled appointment. Optional scope: checks.org_ids.
with scope as (
  select nullif(pg_catalog.current_setting('checks.org_ids', true), '')::uuid[] as org_ids
),
events as (
  select e.id, e.kind, a.id as appointment_id, a.status, a.rescheduled_from
  from public.booking_events e
  cross join scope
  left join public.appointments a on a.org_id = e.org_id and a.id = e.appointment_id
  where scope.org_ids is null or e.org_id = any (scope.org_ids)
),
counted as (
  select pg_catalog.count(*) filter (where appointment_id is null)::integer as orphaned,
         pg_catalog.count(*) filter (where appointment_id is not null and (
           (kind = 'cancelled' and status <> 'cancelled')
           or (kind = 'rescheduled' and rescheduled_from is null)))::integer as mismatched,
         pg_catalog.count(*)::integer as total
  from events
)
select 'booking_events_have_appointments'::text as key,
       c.orphaned + c.mismatched = 0 as ok,
       c.orphaned + c.mismatched as count,
       pg_catalog.format('%s of %s event(s) without their appointment, %s of a kind the appointment contradicts',
                         c.orphaned, c.total, c.mismatched) as detail
from counted c
