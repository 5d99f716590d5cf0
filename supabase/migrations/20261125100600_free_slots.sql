-- Free appointment starts of a clinic: inside its business hours (local time), on its slot
-- grid, not overlapping an active appointment, never in the past. Used to offer alternatives
-- when a slot is refused and by the read-only availability tool.
--
-- A refused booking computes its alternatives while it still holds the clinic's lock, so this
-- must stay cheap even on a full calendar: the clinic's busy time in the window is read once
-- (one index scan, range_agg into a multirange) and every candidate is tested against it in
-- memory. Probing the index per candidate instead cost 223 ms p95 per refusal on a full
-- calendar in `npm run bench`, and 174 of 200 racers then answered TRY_AGAIN.
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
revoke all on function private.free_slot_starts(uuid, timestamptz, timestamptz, integer) from public;
grant execute on function private.free_slot_starts(uuid, timestamptz, timestamptz, integer) to service_role;

-- Up to p_limit free starts nearest to the wanted one (earlier or later). The day either side
-- is searched first and two weeks only when that finds fewer than p_limit: any start outside
-- the first window is a day or more away, farther than every start inside it.
create or replace function private.nearest_free_slots(
  p_org_id uuid,
  p_wanted timestamptz,
  p_duration_minutes integer,
  p_limit integer default 3
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_horizon interval;
  v_found jsonb;
begin
  foreach v_horizon in array array[interval '1 day', interval '14 days'] loop
    select coalesce(pg_catalog.jsonb_agg(s.starts_at order by s.starts_at), '[]'::jsonb)
      into v_found
    from (
      select f.starts_at
      from private.free_slot_starts(p_org_id, p_wanted - interval '1 day', p_wanted + v_horizon, p_duration_minutes) as f(starts_at)
      order by pg_catalog.abs(extract(epoch from f.starts_at - p_wanted)), f.starts_at
      limit p_limit
    ) s;
    if pg_catalog.jsonb_array_length(v_found) >= p_limit then
      return v_found;
    end if;
  end loop;
  return v_found;
end;
$$;
revoke all on function private.nearest_free_slots(uuid, timestamptz, integer, integer) from public;
grant execute on function private.nearest_free_slots(uuid, timestamptz, integer, integer) to service_role;
