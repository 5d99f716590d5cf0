-- Reverts 20261202131100_check_availability_calendars: the 3-argument function as 20261202101100 made it.
drop function public.check_availability(uuid, date, integer, text, uuid);

-- check_availability with the booking function's rules: its day is [local midnight, next local
-- midnight) under the one DST rule, and a wait (a lock held by DDL) or a statement timeout is
-- answered TRY_AGAIN within 3 s, never a raw SQL error. It takes no row or advisory locks.
--   {"success": true, "date", "timezone", "duration_minutes", "slots": [timestamptz…]}
--   {"success": false, "error": ORG_NOT_FOUND | INVALID_DATE | INVALID_DURATION | TRY_AGAIN, "message"}
create function public.check_availability(
  p_org_id uuid,
  p_date date,
  p_duration_minutes integer default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
set lock_timeout = '3s'
as $$
declare
  v_time_zone text;
  v_duration integer;
begin
  if p_date is null or not pg_catalog.isfinite(p_date) then
    return private.booking_failure('INVALID_DATE');
  end if;
  if p_duration_minutes is not null and p_duration_minutes not between 5 and 480 then
    return private.booking_failure('INVALID_DURATION');
  end if;
  begin
    select o.timezone, coalesce(p_duration_minutes, o.default_duration_minutes)
      into v_time_zone, v_duration
    from public.organizations o
    where o.id = p_org_id;
    if not found then
      return private.booking_failure('ORG_NOT_FOUND');
    end if;

    return pg_catalog.jsonb_build_object(
      'success', true,
      'date', p_date,
      'timezone', v_time_zone,
      'duration_minutes', v_duration,
      'slots', (
        select coalesce(pg_catalog.jsonb_agg(f.starts_at order by f.starts_at), '[]'::jsonb)
        from private.free_slot_starts(p_org_id,
          private.local_instant(p_date::timestamp, v_time_zone),
          private.local_instant((p_date + 1)::timestamp, v_time_zone), v_duration) as f(starts_at)
      )
    );
  exception
    when lock_not_available or query_canceled then
      return private.booking_failure('TRY_AGAIN');
  end;
end;
$$;

revoke execute on function public.check_availability(uuid, date, integer) from public, anon, authenticated;
grant execute on function public.check_availability(uuid, date, integer) to service_role;
