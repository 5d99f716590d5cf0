-- Availability per calendar (a practitioner, or the clinic when it has none): the practitioner's
-- own hours (or the clinic's), minus closures, minus active appointments with their buffers, not
-- before the minimum notice, not after the horizon. Shared by the booking, the reschedule, the
-- alternatives and check_availability, so they all agree (docs/receptionist-calls.md).

-- The instants a practitioner works from local day p_from_day through p_to_day. No rows of their
-- own (or no practitioner: the clinic calendar) → the clinic's hours, private.open_hours itself.
-- Own windows follow the same DST rule through private.local_instant.
create or replace function private.calendar_open_hours(p_org_id uuid, p_practitioner_id uuid, p_from_day date, p_to_day date)
returns tstzmultirange
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_practitioner_id is null or not exists (
       select 1 from public.practitioner_hours h where h.org_id = p_org_id and h.practitioner_id = p_practitioner_id) then
    return private.open_hours(p_org_id, p_from_day, p_to_day);
  end if;
  return (
    select coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
             private.local_instant(w.opens, o.timezone), private.local_instant(w.closes, o.timezone), '[)')),
           '{}'::pg_catalog.tstzmultirange)
    from public.organizations o
    cross join lateral (
      select g.day::date as day
      from pg_catalog.generate_series(p_from_day::timestamp, p_to_day::timestamp, interval '1 day') as g(day)
    ) d
    join public.practitioner_hours h
      on h.org_id = o.id and h.practitioner_id = p_practitioner_id and h.weekday = extract(isodow from d.day)
    cross join lateral (
      select d.day + h.opens_at as opens,
             (d.day + case when h.closes_at <= h.opens_at then 1 else 0 end) + h.closes_at as closes
    ) w
    where o.id = p_org_id
  );
end;
$$;

-- Closures that apply to a calendar in [p_from, p_to): the clinic's own (practitioner_id null)
-- and, for a practitioner, theirs.
create or replace function private.closed_ranges(p_org_id uuid, p_practitioner_id uuid, p_from timestamptz, p_to timestamptz)
returns tstzmultirange
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(pg_catalog.range_agg(c.during), '{}'::pg_catalog.tstzmultirange)
    from public.closures c
    where c.org_id = p_org_id
      and (c.practitioner_id is null or c.practitioner_id = p_practitioner_id)
      and c.during operator(pg_catalog.&&) pg_catalog.tstzrange(p_from, p_to, '[)')
  );
end;
$$;

-- The clinic's booking lock (the same key as always, 64-bit, per clinic), taken the way
-- book_appointment_atomic takes it: at once if free; else only while holding one of the
-- clinic's 3 waiter slots, within what is left of the caller's budget. false = the queue was
-- full (the caller may still answer from committed rows, but must not write).
create or replace function private.take_clinic_lock(p_org_id uuid, p_deadline timestamptz)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_key bigint := pg_catalog.hashtextextended('book_appointment_atomic:' || p_org_id::text, 0);
begin
  if pg_catalog.pg_try_advisory_xact_lock(v_key) then
    return true;
  end if;
  if not private.take_booking_waiter_slot(p_org_id) then
    return false;
  end if;
  perform private.set_lock_budget(p_deadline);
  perform pg_catalog.pg_advisory_xact_lock(v_key);
  return true;
end;
$$;

-- The active catalogue entry a spoken service names (name first, then alias), or no row.
create or replace function private.catalogue_service(p_org_id uuid, p_label text)
returns setof public.services
language sql
stable
set search_path = ''
as $$
  select s.*
  from public.services s
  where s.org_id = p_org_id and s.active
    and (s.name = private.normalize_label(p_label) or private.normalize_label(p_label) = any (s.aliases))
  order by s.name = private.normalize_label(p_label) desc, s.name
  limit 1
$$;

-- Active practitioners who offer a service (all of them when the service names nobody, or when
-- there is no service), by name. null = none.
create or replace function private.offering_practitioners(p_org_id uuid, p_service_id uuid)
returns uuid[]
language sql
stable
set search_path = ''
as $$
  select pg_catalog.array_agg(p.id order by p.name, p.id)
  from public.practitioners p
  where p.org_id = p_org_id and p.active
    and (p_service_id is null
         or not exists (select 1 from public.service_practitioners sp where sp.service_id = p_service_id)
         or exists (select 1 from public.service_practitioners sp where sp.service_id = p_service_id and sp.practitioner_id = p.id))
$$;

-- Free starts of ONE calendar. As private.free_slot_starts (read its comment: the busy time is
-- read once, one index scan of the exclusion index, and candidates are tested in memory), plus:
-- the appointment's buffers count against busy time, closures are excluded, the practitioner's
-- own hours, and nothing before now + the clinic's minimum notice. p_ignore: an appointment not
-- to count as busy (the one being moved).
create or replace function private.calendar_free_starts(
  p_org_id uuid,
  p_practitioner_id uuid,
  p_from timestamptz,
  p_to timestamptz,
  p_duration_minutes integer,
  p_buffer_before_minutes integer default 0,
  p_buffer_after_minutes integer default 0,
  p_ignore uuid default null
)
returns setof timestamptz
language sql
stable
set search_path = ''
as $$
  with clinic as materialized (
    select o.id,
           pg_catalog.make_interval(mins => o.slot_step_minutes) as step,
           pg_catalog.make_interval(mins => p_duration_minutes) as duration,
           pg_catalog.make_interval(mins => p_buffer_before_minutes) as before,
           pg_catalog.make_interval(mins => p_buffer_after_minutes) as after,
           greatest(p_from, pg_catalog.now() + pg_catalog.make_interval(mins => o.min_notice_minutes)) as from_at,
           least(p_to, private.local_instant(
             ((pg_catalog.now() at time zone o.timezone)::date + o.booking_horizon_days + 1)::timestamp, o.timezone)) as to_at,
           o.timezone
    from public.organizations o
    where o.id = p_org_id
  ),
  busy as materialized (
    select coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(a.blocked_from, a.blocked_until, '[)')), '{}'::pg_catalog.tstzmultirange) as ranges
    from public.appointments a
    cross join clinic c
    where a.org_id = p_org_id
      and a.calendar_id = coalesce(p_practitioner_id, p_org_id)
      and a.is_active
      and a.id is distinct from p_ignore
      and pg_catalog.tstzrange(a.blocked_from, a.blocked_until, '[)')
          operator(pg_catalog.&&) pg_catalog.tstzrange(p_from - c.before, p_to + c.duration + c.after, '[)')
  ),
  closed as materialized (
    select private.closed_ranges(p_org_id, p_practitioner_id, p_from, p_to + pg_catalog.make_interval(mins => p_duration_minutes)) as ranges
  )
  select slot.starts_at
  from clinic c
  cross join busy
  cross join closed
  cross join lateral pg_catalog.unnest(private.calendar_open_hours(c.id, p_practitioner_id,
    (c.from_at at time zone c.timezone)::date - 1, (c.to_at at time zone c.timezone)::date)) as open(stretch)
  cross join lateral pg_catalog.generate_series(
    pg_catalog.lower(open.stretch) + c.step * pg_catalog.ceil(greatest(0,
      extract(epoch from c.from_at - pg_catalog.lower(open.stretch)) / extract(epoch from c.step))),
    pg_catalog.upper(open.stretch) - c.duration,
    c.step
  ) as slot(starts_at)
  where slot.starts_at < c.to_at
    and not (busy.ranges operator(pg_catalog.&&) pg_catalog.tstzrange(slot.starts_at - c.before, slot.starts_at + c.duration + c.after, '[)'))
    and not (closed.ranges operator(pg_catalog.&&) pg_catalog.tstzrange(slot.starts_at, slot.starts_at + c.duration, '[)'))
$$;

-- Free starts of "any of these practitioners" (a start is free when one of them is free);
-- p_practitioner_ids null = the clinic's own calendar. plpgsql: its plans are cached for the
-- session, and one calendar (the classic clinic, a named practitioner) skips the union — as an
-- inlined SQL function this wrapper cost 2.8 ms per call, more than the search itself.
create or replace function private.bookable_starts(
  p_org_id uuid,
  p_practitioner_ids uuid[],
  p_from timestamptz,
  p_to timestamptz,
  p_duration_minutes integer,
  p_buffer_before_minutes integer default 0,
  p_buffer_after_minutes integer default 0,
  p_ignore uuid default null
)
returns setof timestamptz
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_practitioner_ids is null or pg_catalog.cardinality(p_practitioner_ids) = 1 then
    return query
      select f.starts_at
      from private.calendar_free_starts(p_org_id, p_practitioner_ids[1], p_from, p_to, p_duration_minutes,
        p_buffer_before_minutes, p_buffer_after_minutes, p_ignore) as f(starts_at);
    return;
  end if;
  return query
    select distinct f.starts_at
    from pg_catalog.unnest(p_practitioner_ids) as p(id)
    cross join lateral private.calendar_free_starts(p_org_id, p.id, p_from, p_to, p_duration_minutes,
      p_buffer_before_minutes, p_buffer_after_minutes, p_ignore) as f(starts_at);
end;
$$;

-- Up to p_limit bookable starts nearest the wanted one: private.nearest_free_slots' search
-- (the day either side first, two weeks only when that finds too few) over private.bookable_starts.
create or replace function private.nearest_bookable_starts(
  p_org_id uuid,
  p_practitioner_ids uuid[],
  p_wanted timestamptz,
  p_duration_minutes integer,
  p_buffer_before_minutes integer default 0,
  p_buffer_after_minutes integer default 0,
  p_ignore uuid default null,
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
      from private.bookable_starts(p_org_id, p_practitioner_ids, p_wanted - interval '1 day', p_wanted + v_horizon,
             p_duration_minutes, p_buffer_before_minutes, p_buffer_after_minutes, p_ignore) as f(starts_at)
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

-- Does this calendar work all of [p_start, p_end)? (Hours only; closures and bookings are
-- separate answers.)
create or replace function private.calendar_open_at(p_org_id uuid, p_practitioner_id uuid, p_start timestamptz, p_end timestamptz, p_time_zone text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return private.calendar_open_hours(p_org_id, p_practitioner_id, (p_start at time zone p_time_zone)::date - 1, (p_end at time zone p_time_zone)::date)
         operator(pg_catalog.@>) pg_catalog.tstzrange(p_start, p_end, '[)');
end;
$$;

-- The practitioner to take [p_start, p_end) (buffers around it), among p_candidates in their
-- order of preference groups: the first who works then, has no time off and no overlapping
-- active booking; among those, the least booked that clinic-local day, then by name. Called
-- under the clinic's lock, so the answer holds until the insert. null = nobody is free.
create or replace function private.free_practitioner(
  p_org_id uuid,
  p_candidates uuid[],
  p_start timestamptz,
  p_end timestamptz,
  p_buffer_before_minutes integer,
  p_buffer_after_minutes integer,
  p_time_zone text,
  p_ignore uuid default null
)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_day date := (p_start at time zone p_time_zone)::date;
  v_day_range tstzrange := pg_catalog.tstzrange(private.local_instant(v_day::timestamp, p_time_zone),
                                                private.local_instant((v_day + 1)::timestamp, p_time_zone), '[)');
  v_blocked tstzrange := pg_catalog.tstzrange(p_start - pg_catalog.make_interval(mins => p_buffer_before_minutes),
                                              p_end + pg_catalog.make_interval(mins => p_buffer_after_minutes), '[)');
begin
  return (
    select p.id
    from public.practitioners p
    where p.org_id = p_org_id and p.id = any (p_candidates) and p.active
      and private.calendar_open_at(p_org_id, p.id, p_start, p_end, p_time_zone)
      and not exists (
        select 1 from public.closures c
        where c.org_id = p_org_id and (c.practitioner_id is null or c.practitioner_id = p.id)
          and c.during operator(pg_catalog.&&) pg_catalog.tstzrange(p_start, p_end, '[)'))
      and not exists (
        select 1 from public.appointments a
        where a.org_id = p_org_id and a.calendar_id = p.id and a.is_active and a.id is distinct from p_ignore
          and pg_catalog.tstzrange(a.blocked_from, a.blocked_until, '[)') operator(pg_catalog.&&) v_blocked)
    order by (select pg_catalog.count(*) from public.appointments a
              where a.org_id = p_org_id and a.calendar_id = p.id and a.is_active and a.id is distinct from p_ignore
                and pg_catalog.tstzrange(a.blocked_from, a.blocked_until, '[)') operator(pg_catalog.&&) v_day_range),
             p.name, p.id
    limit 1
  );
end;
$$;

revoke all on function
  private.calendar_open_hours(uuid, uuid, date, date),
  private.closed_ranges(uuid, uuid, timestamptz, timestamptz),
  private.take_clinic_lock(uuid, timestamptz),
  private.catalogue_service(uuid, text),
  private.offering_practitioners(uuid, uuid),
  private.calendar_free_starts(uuid, uuid, timestamptz, timestamptz, integer, integer, integer, uuid),
  private.bookable_starts(uuid, uuid[], timestamptz, timestamptz, integer, integer, integer, uuid),
  private.nearest_bookable_starts(uuid, uuid[], timestamptz, integer, integer, integer, uuid, integer),
  private.calendar_open_at(uuid, uuid, timestamptz, timestamptz, text),
  private.free_practitioner(uuid, uuid[], timestamptz, timestamptz, integer, integer, text, uuid)
  from public;
grant execute on function
  private.calendar_open_hours(uuid, uuid, date, date),
  private.closed_ranges(uuid, uuid, timestamptz, timestamptz),
  private.take_clinic_lock(uuid, timestamptz),
  private.catalogue_service(uuid, text),
  private.offering_practitioners(uuid, uuid),
  private.calendar_free_starts(uuid, uuid, timestamptz, timestamptz, integer, integer, integer, uuid),
  private.bookable_starts(uuid, uuid[], timestamptz, timestamptz, integer, integer, integer, uuid),
  private.nearest_bookable_starts(uuid, uuid[], timestamptz, integer, integer, integer, uuid, integer),
  private.calendar_open_at(uuid, uuid, timestamptz, timestamptz, text),
  private.free_practitioner(uuid, uuid[], timestamptz, timestamptz, integer, integer, text, uuid)
  to service_role;
