-- Reverts 20261125101300_faster_free_slots: the definitions of 20261125100600_free_slots.
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
  select slot.starts_at
  from public.organizations o
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
    and not exists (
      select 1
      from public.appointments a
      where a.org_id = p_org_id
        and a.is_active
        and pg_catalog.tstzrange(a.scheduled_at, a.ends_at, '[)')
            operator(pg_catalog.&&) pg_catalog.tstzrange(slot.starts_at, slot.starts_at + pg_catalog.make_interval(mins => p_duration_minutes), '[)')
    )
$$;

create or replace function private.nearest_free_slots(
  p_org_id uuid,
  p_wanted timestamptz,
  p_duration_minutes integer,
  p_limit integer default 3
)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.jsonb_agg(s.starts_at order by s.starts_at), '[]'::jsonb)
  from (
    select f.starts_at
    from private.free_slot_starts(p_org_id, p_wanted - interval '1 day', p_wanted + interval '14 days', p_duration_minutes) as f(starts_at)
    order by pg_catalog.abs(extract(epoch from f.starts_at - p_wanted)), f.starts_at
    limit p_limit
  ) s
$$;
