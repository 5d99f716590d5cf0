-- The caller's upcoming appointments at one clinic (docs/receptionist-calls.md).
--   find_appointments(p_org_id, p_phone, p_name default null) →
--     {"success": true, "appointments": [{"appointment_id", "scheduled_at", "ends_at", "service_type", "practitioner"}]}
--     (active, upcoming, at most 5, soonest first; [] when none)
--     {"success": false, "error": ORG_NOT_FOUND | INVALID_PHONE | INVALID_NAME | TRY_AGAIN, "message"}
-- Identity: the phone (the edge passes the call's caller id). When the caller quotes another
-- number, the edge passes p_name too: then only appointments whose attendee name or lead name
-- is that name (normalized, case-insensitive) count; a wrong name looks exactly like "none".

-- The caller's appointments from now on (any status), by phone (E.164) and, when given, name
-- (normalized); optionally of one clinic-local day or one id.
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

-- Appointments as the tools speak of them: no names, no phones.
create or replace function private.appointment_list(p_ids uuid[])
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'appointment_id', a.id, 'scheduled_at', a.scheduled_at, 'ends_at', a.ends_at,
           'service_type', a.service_type, 'practitioner', p.name) order by a.scheduled_at, a.id), '[]'::jsonb)
  from public.appointments a
  left join public.practitioners p on p.org_id = a.org_id and p.id = a.practitioner_id
  where a.id = any (p_ids)
$$;

revoke all on function private.caller_appointments(uuid, text, text, date, uuid, text), private.appointment_list(uuid[]) from public;
grant execute on function private.caller_appointments(uuid, text, text, date, uuid, text), private.appointment_list(uuid[]) to service_role;

create or replace function public.find_appointments(p_org_id uuid, p_phone text, p_name text default null)
returns jsonb
language plpgsql
stable
set search_path = ''
-- It takes no row or advisory locks; its only waits are relation locks behind DDL.
set lock_timeout = '3s'
as $$
declare
  v_name text := private.normalize_name(p_name);
  v_time_zone text;
  v_country text;
  v_phone text;
begin
  if p_org_id is null then
    return private.booking_failure('ORG_NOT_FOUND');
  end if;
  if p_phone is null or pg_catalog.btrim(p_phone) !~ '^\+?[0-9 ().\-/]+$' then
    return private.booking_failure('INVALID_PHONE');
  end if;
  if p_name is not null and v_name is null then
    return private.booking_failure('INVALID_NAME');
  end if;
  begin
    select o.timezone, o.default_country into v_time_zone, v_country from public.organizations o where o.id = p_org_id;
    if not found then
      return private.booking_failure('ORG_NOT_FOUND');
    end if;
    v_phone := private.normalize_phone(p_phone, v_country);
    if v_phone is null then
      return private.booking_failure('INVALID_PHONE');
    end if;
    return pg_catalog.jsonb_build_object('success', true, 'appointments', private.appointment_list(array(
      select a.id from private.caller_appointments(p_org_id, v_phone, v_name, null, null, v_time_zone) a
      where a.is_active
      order by a.scheduled_at, a.id
      limit 5)));
  exception
    when lock_not_available or query_canceled then
      return private.booking_failure('TRY_AGAIN');
  end;
end;
$$;

comment on function public.find_appointments(uuid, text, text) is
  'The caller''s upcoming active appointments at one clinic (at most 5), by phone and, when given, name. See docs/receptionist-calls.md.';
revoke execute on function public.find_appointments(uuid, text, text) from public, anon, authenticated;
grant execute on function public.find_appointments(uuid, text, text) to service_role;
