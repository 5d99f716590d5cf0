-- check_availability with the booking's calendar rules: a start is free when some practitioner
-- who offers the service (or the named one) is free then, buffers included; never before the
-- minimum notice, never in a closure. Two trailing parameters (drop + create in this one
-- migration, so one function exists at every version; calls with the first three, positional
-- or named, are unchanged):
--   check_availability(p_org_id, p_date, p_duration_minutes default null, p_service_type default null,
--                      p_practitioner_id default null)
--   {"success": true, "date", "timezone", "duration_minutes", "slots": [timestamptz…]}
--   {"success": false, "error": ORG_NOT_FOUND | INVALID_DATE | INVALID_DURATION | INVALID_SERVICE_TYPE
--      | UNKNOWN_SERVICE (+ services) | PRACTITIONER_NOT_FOUND | SERVICE_NOT_OFFERED | TRY_AGAIN, "message"}
drop function public.check_availability(uuid, date, integer);

create function public.check_availability(
  p_org_id uuid,
  p_date date,
  p_duration_minutes integer default null,
  p_service_type text default null,
  p_practitioner_id uuid default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
set lock_timeout = '3s'
as $$
declare
  v_service text := private.normalize_label(p_service_type);
  v_time_zone text;
  v_duration integer;
  v_svc public.services;
  v_offering uuid[];
  v_candidates uuid[];
begin
  if p_date is null or not pg_catalog.isfinite(p_date) then
    return private.booking_failure('INVALID_DATE');
  end if;
  if p_duration_minutes is not null and p_duration_minutes not between 5 and 480 then
    return private.booking_failure('INVALID_DURATION');
  end if;
  if p_service_type is not null and (pg_catalog.char_length(v_service) not between 1 and 64
       or v_service !~ '^[[:alnum:]][[:alnum:] _/&-]*$') then
    return private.booking_failure('INVALID_SERVICE_TYPE');
  end if;
  begin
    select o.timezone, o.default_duration_minutes into v_time_zone, v_duration
    from public.organizations o
    where o.id = p_org_id;
    if not found then
      return private.booking_failure('ORG_NOT_FOUND');
    end if;

    if v_service is not null and exists (select 1 from public.services s where s.org_id = p_org_id and s.active) then
      select * into v_svc from private.catalogue_service(p_org_id, v_service);
      if v_svc.id is null then
        return private.booking_failure('UNKNOWN_SERVICE') || pg_catalog.jsonb_build_object('services',
          (select pg_catalog.jsonb_agg(s.name order by s.name) from public.services s where s.org_id = p_org_id and s.active));
      end if;
      v_duration := v_svc.duration_minutes;
    end if;
    v_duration := coalesce(p_duration_minutes, v_duration);

    if p_practitioner_id is not null
       and not exists (select 1 from public.practitioners p where p.org_id = p_org_id and p.id = p_practitioner_id and p.active) then
      return private.booking_failure('PRACTITIONER_NOT_FOUND');
    end if;
    if exists (select 1 from public.practitioners p where p.org_id = p_org_id and p.active) then
      v_offering := private.offering_practitioners(p_org_id, v_svc.id);
      if p_practitioner_id is not null then
        if not (p_practitioner_id = any (coalesce(v_offering, '{}'))) then
          return private.booking_failure('SERVICE_NOT_OFFERED');
        end if;
        v_candidates := array[p_practitioner_id];
      elsif v_offering is null then
        return private.booking_failure('SERVICE_NOT_OFFERED');
      else
        v_candidates := v_offering;
      end if;
    end if;

    return pg_catalog.jsonb_build_object(
      'success', true,
      'date', p_date,
      'timezone', v_time_zone,
      'duration_minutes', v_duration,
      'slots', (
        select coalesce(pg_catalog.jsonb_agg(f.starts_at order by f.starts_at), '[]'::jsonb)
        from private.bookable_starts(p_org_id, v_candidates,
          private.local_instant(p_date::timestamp, v_time_zone),
          private.local_instant((p_date + 1)::timestamp, v_time_zone), v_duration,
          coalesce(v_svc.buffer_before_minutes, 0), coalesce(v_svc.buffer_after_minutes, 0)) as f(starts_at)
      )
    );
  exception
    when lock_not_available or query_canceled then
      return private.booking_failure('TRY_AGAIN');
  end;
end;
$$;

revoke execute on function public.check_availability(uuid, date, integer, text, uuid) from public, anon, authenticated;
grant execute on function public.check_availability(uuid, date, integer, text, uuid) to service_role;
