-- Reverts 20261202160000_caller_matches_attendee_only: the lead's name unlocks again.
create or replace function private.caller_appointments(
  p_org_id uuid,
  p_phone text,
  p_name text,
  p_day date,
  p_appointment_id uuid,
  p_time_zone text
)
returns setof public.appointments
language sql
stable
set search_path = ''
as $$
  select a.*
  from public.leads l
  join public.appointments a on a.org_id = l.org_id and a.lead_id = l.id
  where l.org_id = p_org_id and l.phone = p_phone
    and a.scheduled_at >= pg_catalog.now()
    and (p_name is null or pg_catalog.lower(a.attendee_name) = pg_catalog.lower(p_name) or pg_catalog.lower(l.name) = pg_catalog.lower(p_name))
    and (p_day is null or (a.scheduled_at at time zone p_time_zone)::date = p_day)
    and (p_appointment_id is null or a.id = p_appointment_id)
$$;
