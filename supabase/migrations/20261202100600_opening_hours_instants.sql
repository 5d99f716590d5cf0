-- Opening hours as real instants: ONE DST rule for the booking check, the free-slot search and
-- the availability day, and windows that cross midnight.
--
-- The DST rule (the endpoint's date code follows the same one, see docs/tenancy-and-waits.md):
--   * a wall time that does not exist (spring-forward gap) moves forward by the gap
--     (02:30 → 03:30 on a one-hour gap), as Postgres' `at time zone` and luxon both do;
--   * a wall time that occurs twice (fall back) means the EARLIER instant. Postgres itself picks
--     the later (standard-time) one, hence this function.
create or replace function private.local_instant(p_local timestamp, p_time_zone text)
returns timestamptz
language sql
stable
parallel safe
set search_path = ''
as $$
  -- `p_local at time zone` is Postgres' reading (the later instant of a repeated wall time).
  -- The candidate reads the wall time with the UTC offset in force half a day earlier; it counts
  -- only if it really shows this wall time, which outside a fall-back hour only the one
  -- instant does, and in a spring-forward gap nothing does (then Postgres' forward move wins).
  -- private.open_hours inlines this same expression (a call per window boundary would cost the
  -- refusal path under the clinic lock ~2x); 10_hours_dst checks that the two agree.
  select case
    when (((p_local - interval '12 hours') at time zone p_time_zone) + interval '12 hours') at time zone p_time_zone = p_local
      then least(((p_local - interval '12 hours') at time zone p_time_zone) + interval '12 hours', p_local at time zone p_time_zone)
    else p_local at time zone p_time_zone
  end
$$;

-- The instants a clinic is open from local day p_from_day through p_to_day, as one multirange:
-- each window of each day from its opening instant to its closing instant (a window whose
-- closes_at <= opens_at closes on the next day), adjacent and overlapping windows joined. A
-- window of the day before p_from_day can reach into it: callers pass the day before.
create or replace function private.open_hours(p_org_id uuid, p_from_day date, p_to_day date)
returns tstzmultirange
-- plpgsql: its plan is cached for the session (a SQL function would be planned again in every
-- booking's transaction).
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
  select coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
           -- private.local_instant(w.opens / w.closes, o.timezone), inlined (see there).
           case when ((w.opens - interval '12 hours') at time zone o.timezone + interval '12 hours') at time zone o.timezone = w.opens
                then least((w.opens - interval '12 hours') at time zone o.timezone + interval '12 hours', w.opens at time zone o.timezone)
                else w.opens at time zone o.timezone end,
           case when ((w.closes - interval '12 hours') at time zone o.timezone + interval '12 hours') at time zone o.timezone = w.closes
                then least((w.closes - interval '12 hours') at time zone o.timezone + interval '12 hours', w.closes at time zone o.timezone)
                else w.closes at time zone o.timezone end,
           '[)')), '{}'::pg_catalog.tstzmultirange)
  from public.organizations o
  cross join lateral (
    select g.day::date as day
    from pg_catalog.generate_series(p_from_day::timestamp, p_to_day::timestamp, interval '1 day') as g(day)
  ) d
  join public.organization_business_hours h
    on h.org_id = o.id and h.weekday = extract(isodow from d.day)
  -- Local wall times of the window; closes_at <= opens_at closes on the next day.
  cross join lateral (
    select d.day + h.opens_at as opens,
           (d.day + case when h.closes_at <= h.opens_at then 1 else 0 end) + h.closes_at as closes
  ) w
  where o.id = p_org_id
  );
end;
$$;

revoke all on function private.local_instant(timestamp, text), private.open_hours(uuid, date, date) from public;
grant execute on function private.local_instant(timestamp, text), private.open_hours(uuid, date, date) to service_role;

-- Free appointment starts of a clinic: inside its open hours, on its slot grid, not
-- overlapping an active appointment, never in the past, never after its booking horizon.
--
-- A refused booking computes its alternatives while it still holds the clinic's lock, so this
-- must stay cheap even on a full calendar: the clinic's busy time in the window is read once
-- (one index scan, range_agg into a multirange) and every candidate is tested against it in
-- memory. Probing the index per candidate instead cost 223 ms p95 per refusal on a full
-- calendar in `npm run bench`, and 174 of 200 racers then answered TRY_AGAIN. Local times are
-- converted once per window (not once per candidate); candidates step through each open
-- stretch in elapsed time (slot_step_minutes of real time), so a fall-back day offers both
-- 01:xx hours and a spring-forward day no duplicates.
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
  -- materialized: computed once, not once per candidate (to_at calls local_instant).
  with clinic as materialized (
    select o.id,
           pg_catalog.make_interval(mins => o.slot_step_minutes) as step,
           pg_catalog.make_interval(mins => p_duration_minutes) as duration,
           greatest(p_from, pg_catalog.now()) as from_at,
           least(p_to, private.local_instant(
             ((pg_catalog.now() at time zone o.timezone)::date + o.booking_horizon_days + 1)::timestamp, o.timezone)) as to_at,
           o.timezone
    from public.organizations o
    where o.id = p_org_id
  ),
  busy as (
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
  from clinic c
  cross join busy
  cross join lateral pg_catalog.unnest(private.open_hours(c.id,
    (c.from_at at time zone c.timezone)::date - 1, (c.to_at at time zone c.timezone)::date)) as open(stretch)
  -- The first grid point of the stretch at or after from_at, then every step until the
  -- appointment would run past the stretch's end.
  cross join lateral pg_catalog.generate_series(
    pg_catalog.lower(open.stretch) + c.step * pg_catalog.ceil(greatest(0,
      extract(epoch from c.from_at - pg_catalog.lower(open.stretch)) / extract(epoch from c.step))),
    pg_catalog.upper(open.stretch) - c.duration,
    c.step
  ) as slot(starts_at)
  where slot.starts_at < c.to_at
    and not (busy.ranges operator(pg_catalog.&&) pg_catalog.tstzrange(slot.starts_at, slot.starts_at + c.duration, '[)'))
$$;
