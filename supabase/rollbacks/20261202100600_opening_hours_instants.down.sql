-- Reverts 20261202100600_opening_hours_instants: free_slot_starts as 20261125100600 made it.
create or replace function private.free_slot_starts(
  p_org_id uuid,
  p_from timestamptz,
  p_to timestamptz,
  p_duration_minutes integer
)
returns setof timestamptz
language sql
stable
set search_path = ''
as $$
  with busy as (
    select coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(a.scheduled_at, a.ends_at, '[)')), '{}'::pg_catalog.tstzmultirange) as ranges
    from public.appointments a
    where a.org_id = p_org_id
      and a.is_active
      and pg_catalog.tstzrange(a.scheduled_at, a.ends_at, '[)')
          -- p_from, not greatest(p_from, now()): a window wholly in the past would make an
          -- empty-bounds error, and it has no candidate starts anyway.
          operator(pg_catalog.&&) pg_catalog.tstzrange(p_from, p_to + pg_catalog.make_interval(mins => p_duration_minutes), '[)')
  )
  select slot.starts_at
  from public.organizations o
  cross join busy
  -- Local days as `timestamp` (not timestamptz): `local_day + opens_at` is then a wall-clock
  -- time that `at time zone` turns into an instant of the clinic's zone, DST included.
  cross join lateral pg_catalog.generate_series(
    (greatest(p_from, pg_catalog.now()) at time zone o.timezone)::date::timestamp,
    (p_to at time zone o.timezone)::date::timestamp,
    interval '1 day'
  ) as day(local_day)
  join public.organization_business_hours h
    on h.org_id = o.id and h.weekday = extract(isodow from day.local_day)
  cross join lateral pg_catalog.generate_series(
    day.local_day + h.opens_at,
    day.local_day + h.closes_at - pg_catalog.make_interval(mins => p_duration_minutes),
    pg_catalog.make_interval(mins => o.slot_step_minutes)
  ) as local_start(at_local)
  cross join lateral (select local_start.at_local at time zone o.timezone as starts_at) as slot
  where o.id = p_org_id
    and slot.starts_at >= greatest(p_from, pg_catalog.now())
    and slot.starts_at < p_to
    and not (busy.ranges operator(pg_catalog.&&)
             pg_catalog.tstzrange(slot.starts_at, slot.starts_at + pg_catalog.make_interval(mins => p_duration_minutes), '[)'))
$$;

drop function private.open_hours(uuid, date, date);
drop function private.local_instant(timestamp, text);
