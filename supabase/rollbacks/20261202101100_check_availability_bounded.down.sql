-- Reverts 20261202101100_check_availability_bounded: check_availability as 20261125100900 made it.
create or replace function public.check_availability(
  p_org_id uuid,
  p_date date,
  p_duration_minutes integer default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_time_zone text;
  v_duration integer;
  v_day_start timestamptz;
begin
  if p_date is null or not pg_catalog.isfinite(p_date) then
    return private.booking_failure('INVALID_DATE');
  end if;
  if p_duration_minutes is not null and p_duration_minutes not between 5 and 480 then
    return private.booking_failure('INVALID_DURATION');
  end if;
  select o.timezone, coalesce(p_duration_minutes, o.default_duration_minutes)
    into v_time_zone, v_duration
  from public.organizations o
  where o.id = p_org_id;
  if not found then
    return private.booking_failure('ORG_NOT_FOUND');
  end if;

  v_day_start := p_date::timestamp at time zone v_time_zone;
  return pg_catalog.jsonb_build_object(
    'success', true,
    'date', p_date,
    'timezone', v_time_zone,
    'duration_minutes', v_duration,
    'slots', (
      select coalesce(pg_catalog.jsonb_agg(f.starts_at order by f.starts_at), '[]'::jsonb)
      from private.free_slot_starts(p_org_id, v_day_start, (p_date + 1)::timestamp at time zone v_time_zone, v_duration) as f(starts_at)
    )
  );
end;
$$;
