-- The one booking function learns practitioners, services, minimum notice and closures, and
-- writes a 'booked' event with the appointment (docs/receptionist-calls.md). It gains ONE
-- trailing parameter, p_practitioner_id (null = "anyone"): the 8-argument function is dropped
-- and the 9-argument one created here, in one migration, so exactly one exists at every
-- version. The classic seven-argument positional call still resolves, and for a clinic without
-- practitioners or a catalogue it answers exactly as before.
-- Answers:
--   {"success": true, "appointment_id", "contact_id", "scheduled_at", "ends_at", "duration_minutes", "replayed"
--    [, "practitioner_id", "practitioner"]}
--   {"success": false, "error": CODE, "message"[, "alternatives"][, "latest_date"][, "services"]}

create or replace function private.booking_failure(p_code text, p_alternatives jsonb default null)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'success', false,
    'error', p_code,
    'message', case p_code
      when 'SLOT_UNAVAILABLE' then 'That time is already booked.'
      when 'ORG_NOT_FOUND' then 'The clinic could not be found.'
      when 'INVALID_NAME' then 'A valid name is required.'
      when 'INVALID_EMAIL' then 'The email address is not valid.'
      when 'INVALID_PHONE' then 'A valid phone number is required.'
      when 'INVALID_SERVICE_TYPE' then 'A valid service type is required.'
      when 'INVALID_DURATION' then 'The duration must be between 5 and 480 minutes.'
      when 'INVALID_DATE' then 'A valid appointment time is required.'
      when 'PAST_TIME' then 'That time is in the past.'
      when 'OUTSIDE_BUSINESS_HOURS' then 'That time is outside the clinic''s business hours.'
      when 'BEYOND_HORIZON' then 'That date is further ahead than the clinic takes bookings.'
      when 'IDEMPOTENCY_KEY_REUSED' then 'This request key was already used for a different booking.'
      when 'APPOINTMENT_INACTIVE' then 'That booking is no longer active.'
      when 'INVALID_IDEMPOTENCY_KEY' then 'The request key must be 1 to 200 characters.'
      when 'TRY_AGAIN' then 'The schedule is busy right now; please try again.'
      when 'UNKNOWN_SERVICE' then 'The clinic does not offer that service.'
      when 'PRACTITIONER_NOT_FOUND' then 'That practitioner could not be found at this clinic.'
      when 'SERVICE_NOT_OFFERED' then 'That service is not offered by that practitioner.'
      when 'TOO_SOON' then 'That time is too soon to book.'
      when 'CLINIC_CLOSED' then 'The clinic is closed at that time.'
      when 'APPOINTMENT_NOT_FOUND' then 'No matching upcoming appointment was found.'
      when 'AMBIGUOUS_APPOINTMENT' then 'There is more than one matching appointment.'
      else 'The booking could not be completed.'
    end,
    'alternatives', p_alternatives
  ))
$$;

-- The success answer for a stored appointment (booking, replay, move): the stored truth.
create or replace function private.booking_reply(p_appointment_id uuid, p_replayed boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
           'success', true, 'appointment_id', a.id, 'contact_id', a.lead_id,
           'scheduled_at', a.scheduled_at, 'ends_at', a.ends_at,
           'duration_minutes', a.duration_minutes, 'replayed', p_replayed)
         -- Only when there is one: a clinic without practitioners answers exactly as before.
         || pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('practitioner_id', a.practitioner_id, 'practitioner', p.name))
  from public.appointments a
  left join public.practitioners p on p.org_id = a.org_id and p.id = a.practitioner_id
  where a.id = p_appointment_id
$$;

-- The caller's own active booking of exactly this slot on one of these calendars (same phone
-- and attendee name): asking again gets it back.
create or replace function private.same_booking(p_org_id uuid, p_calendars uuid[], p_phone text, p_name text,
  p_start timestamptz, p_end timestamptz)
returns uuid
language sql
stable
set search_path = ''
as $$
  select a.id
  from public.appointments a
  join public.leads l on l.org_id = a.org_id and l.id = a.lead_id
  where a.org_id = p_org_id and a.is_active and a.calendar_id = any (p_calendars)
    and a.scheduled_at = p_start and a.ends_at = p_end
    and l.phone = p_phone and a.attendee_name = p_name
  limit 1
$$;

revoke all on function private.booking_reply(uuid, boolean) from public;
revoke all on function private.same_booking(uuid, uuid[], text, text, timestamptz, timestamptz) from public;
grant execute on function private.booking_reply(uuid, boolean) to service_role;
grant execute on function private.same_booking(uuid, uuid[], text, text, timestamptz, timestamptz) to service_role;

-- Drop the 8-argument function (and anything else named like it): the 9-argument one replaces it.
do $$
declare
  v_fn regprocedure;
begin
  for v_fn in
    select p.oid::regprocedure
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname like 'book\_appointment\_atomic%'
  loop
    -- The name comes from the catalog (regprocedure text is already quoted), not from input.
    execute pg_catalog.format('drop function %s', v_fn);
  end loop;
end
$$;

create function public.book_appointment_atomic(
  p_org_id uuid,
  p_name text,
  p_email text,
  p_phone text,
  p_service_type text,
  p_scheduled_at timestamptz,
  p_duration_minutes integer,
  p_idempotency_key text default null,
  p_practitioner_id uuid default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
-- The ceiling of any one lock wait, restored when the function returns (see 20261202101000).
set lock_timeout = '3s'
as $$
declare
  -- ONE bound for all the waits of this call together (docs/tenancy-and-waits.md).
  v_deadline timestamptz := pg_catalog.clock_timestamp() + interval '3 seconds';
  v_name text := private.normalize_name(p_name);
  v_email text := nullif(pg_catalog.lower(pg_catalog.btrim(p_email)), '');
  v_phone text;
  v_service text := private.normalize_label(p_service_type);
  v_key text := p_idempotency_key;
  v_time_zone text;
  v_country text;
  v_duration integer;
  v_min_notice integer;
  v_latest_date date;
  v_ends_at timestamptz;
  v_locked boolean;
  v_hit record;
  v_svc public.services;
  v_before integer := 0;
  v_after integer := 0;
  v_has_practitioners boolean;
  v_offering uuid[];
  -- The calendars this booking may take: null = the clinic's own (it has no practitioners).
  v_candidates uuid[];
  v_practitioner uuid;
  v_lead_id uuid;
  v_appointment_id uuid;
begin
  -- 1. Arguments, before touching anything.
  if p_org_id is null then
    return private.booking_failure('ORG_NOT_FOUND');
  end if;
  if v_name is null then
    return private.booking_failure('INVALID_NAME');
  end if;
  if v_email is not null and not private.is_valid_email(v_email) then
    return private.booking_failure('INVALID_EMAIL');
  end if;
  if p_phone is null or pg_catalog.btrim(p_phone) !~ '^\+?[0-9 ().\-/]+$' then
    return private.booking_failure('INVALID_PHONE');
  end if;
  if v_service is null or pg_catalog.char_length(v_service) not between 1 and 64
     or v_service !~ '^[[:alnum:]][[:alnum:] _/&-]*$' then
    return private.booking_failure('INVALID_SERVICE_TYPE');
  end if;
  if p_duration_minutes is not null and p_duration_minutes not between 5 and 480 then
    return private.booking_failure('INVALID_DURATION');
  end if;
  if p_scheduled_at is null or not pg_catalog.isfinite(p_scheduled_at) then
    return private.booking_failure('INVALID_DATE');
  end if;
  if p_scheduled_at < pg_catalog.now() then
    return private.booking_failure('PAST_TIME');
  end if;
  if v_key is not null and pg_catalog.char_length(v_key) not between 1 and 200 then
    return private.booking_failure('INVALID_IDEMPOTENCY_KEY');
  end if;

  -- Everything from here may wait or run into the statement timeout: each becomes TRY_AGAIN.
  begin
    -- 2. The clinic, its horizon, notice, hours, catalogue and practitioners.
    select o.timezone, o.default_country, o.default_duration_minutes, o.min_notice_minutes,
           (pg_catalog.now() at time zone o.timezone)::date + o.booking_horizon_days
      into v_time_zone, v_country, v_duration, v_min_notice, v_latest_date
    from public.organizations o
    where o.id = p_org_id;
    if not found then
      return private.booking_failure('ORG_NOT_FOUND');
    end if;

    v_phone := private.normalize_phone(p_phone, v_country);
    if v_phone is null then
      return private.booking_failure('INVALID_PHONE');
    end if;

    -- A clinic with a catalogue books only what it offers; the entry gives the duration (unless
    -- one was asked for), the buffers and who offers it. Without one, any service, no buffers.
    if exists (select 1 from public.services s where s.org_id = p_org_id and s.active) then
      select * into v_svc from private.catalogue_service(p_org_id, v_service);
      if v_svc.id is null then
        return private.booking_failure('UNKNOWN_SERVICE') || pg_catalog.jsonb_build_object('services',
          (select pg_catalog.jsonb_agg(s.name order by s.name) from public.services s where s.org_id = p_org_id and s.active));
      end if;
      v_service := v_svc.name;
      v_before := v_svc.buffer_before_minutes;
      v_after := v_svc.buffer_after_minutes;
      v_duration := coalesce(p_duration_minutes, v_svc.duration_minutes);
    else
      v_duration := coalesce(p_duration_minutes, v_duration);
    end if;

    v_has_practitioners := exists (select 1 from public.practitioners p where p.org_id = p_org_id and p.active);
    if p_practitioner_id is not null
       and not exists (select 1 from public.practitioners p where p.org_id = p_org_id and p.id = p_practitioner_id and p.active) then
      return private.booking_failure('PRACTITIONER_NOT_FOUND');
    end if;
    if v_has_practitioners then
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

    v_ends_at := p_scheduled_at + pg_catalog.make_interval(mins => v_duration);
    if (p_scheduled_at at time zone v_time_zone)::date > v_latest_date then
      return private.booking_failure('BEYOND_HORIZON')
        || pg_catalog.jsonb_build_object('latest_date', pg_catalog.to_char(v_latest_date, 'YYYY-MM-DD'));
    end if;
    if p_scheduled_at < pg_catalog.now() + pg_catalog.make_interval(mins => v_min_notice) then
      return private.booking_failure('TOO_SOON',
        private.nearest_bookable_starts(p_org_id, v_candidates, p_scheduled_at, v_duration, v_before, v_after));
    end if;
    if exists (select 1 from public.closures c
               where c.org_id = p_org_id and c.practitioner_id is null
                 and c.during operator(pg_catalog.&&) pg_catalog.tstzrange(p_scheduled_at, v_ends_at, '[)')) then
      return private.booking_failure('CLINIC_CLOSED',
        private.nearest_bookable_starts(p_org_id, v_candidates, p_scheduled_at, v_duration, v_before, v_after));
    end if;
    -- The whole appointment inside the hours of the calendar (one of the candidates' own hours,
    -- or the clinic's), under the one DST rule.
    if not exists (select 1 from pg_catalog.unnest(coalesce(v_candidates, array[null::uuid])) as c(id)
                   where private.calendar_open_at(p_org_id, c.id, p_scheduled_at, v_ends_at, v_time_zone)) then
      return private.booking_failure('OUTSIDE_BUSINESS_HOURS',
        private.nearest_bookable_starts(p_org_id, v_candidates, p_scheduled_at, v_duration, v_before, v_after));
    end if;

    -- 3. One booking (or cancel, or move) of this clinic at a time, at most 3 waiting.
    v_locked := private.take_clinic_lock(p_org_id, v_deadline);

    -- 4. A retry of a booking already made answers as the first time did, while it is active.
    if v_key is not null then
      select a.id, a.is_active,
             (l.phone = v_phone and a.attendee_name = v_name and a.attendee_email is not distinct from v_email
              and a.scheduled_at = p_scheduled_at and a.duration_minutes = v_duration and a.service_type = v_service
              and (p_practitioner_id is null or a.practitioner_id = p_practitioner_id)) as same_request
        into v_hit
      from public.appointments a
      join public.leads l on l.org_id = a.org_id and l.id = a.lead_id
      where a.org_id = p_org_id and a.idempotency_key = v_key;
      if found then
        if not v_hit.same_request then
          return private.booking_failure('IDEMPOTENCY_KEY_REUSED');
        end if;
        if not v_hit.is_active then
          return private.booking_failure('APPOINTMENT_INACTIVE');
        end if;
        return private.booking_reply(v_hit.id, true);
      end if;
    end if;

    -- 5. The same caller (phone and name) asking again for the slot they hold gets it back.
    --    Asked again after a refusal below too: without the lock, a booking can commit between
    --    two statements, and whatever the refusal saw, that later statement sees as well.
    v_appointment_id := private.same_booking(p_org_id, coalesce(v_candidates, array[p_org_id]), v_phone, v_name, p_scheduled_at, v_ends_at);
    if v_appointment_id is not null then
      return private.booking_reply(v_appointment_id, true);
    end if;

    -- 6. Overlap check (buffers included), or "anyone": the free practitioner to take it.
    if v_candidates is null then
      v_practitioner := null;
      if exists (select 1 from public.appointments a
                 where a.org_id = p_org_id and a.calendar_id = p_org_id and a.is_active
                   and pg_catalog.tstzrange(a.blocked_from, a.blocked_until, '[)')
                       operator(pg_catalog.&&) pg_catalog.tstzrange(p_scheduled_at - pg_catalog.make_interval(mins => v_before),
                                                                    v_ends_at + pg_catalog.make_interval(mins => v_after), '[)')) then
        v_appointment_id := private.same_booking(p_org_id, array[p_org_id], v_phone, v_name, p_scheduled_at, v_ends_at);
        if v_appointment_id is not null then
          return private.booking_reply(v_appointment_id, true);
        end if;
        return private.booking_failure('SLOT_UNAVAILABLE',
          private.nearest_bookable_starts(p_org_id, v_candidates, p_scheduled_at, v_duration, v_before, v_after));
      end if;
    else
      v_practitioner := private.free_practitioner(p_org_id, v_candidates, p_scheduled_at, v_ends_at, v_before, v_after, v_time_zone);
      if v_practitioner is null then
        v_appointment_id := private.same_booking(p_org_id, v_candidates, v_phone, v_name, p_scheduled_at, v_ends_at);
        if v_appointment_id is not null then
          return private.booking_reply(v_appointment_id, true);
        end if;
        return private.booking_failure('SLOT_UNAVAILABLE',
          private.nearest_bookable_starts(p_org_id, v_candidates, p_scheduled_at, v_duration, v_before, v_after));
      end if;
    end if;

    if not v_locked then
      return private.booking_failure('TRY_AGAIN');
    end if;

    -- 7. The lead (if new), the appointment and its event: all or nothing. Row locks as in
    --    20261202101000 (KEY SHARE, each wait under the budget).
    begin
      perform private.set_lock_budget(v_deadline);
      perform 1 from public.organizations o where o.id = p_org_id for key share;
      if not found then
        return private.booking_failure('ORG_NOT_FOUND');
      end if;

      perform private.set_lock_budget(v_deadline);
      select l.id into v_lead_id from public.leads l where l.org_id = p_org_id and l.phone = v_phone for key share;
      if not found then
        perform private.set_lock_budget(v_deadline);
        insert into public.leads (org_id, name, email, phone)
        values (p_org_id, v_name, v_email, v_phone)
        on conflict (org_id, phone) do nothing
        returning id into v_lead_id;
        if v_lead_id is null then
          perform private.set_lock_budget(v_deadline);
          select l.id into v_lead_id from public.leads l where l.org_id = p_org_id and l.phone = v_phone for key share;
          if not found then
            raise exception using errcode = 'lock_not_available', message = 'lead vanished';
          end if;
        end if;
      end if;

      perform private.set_lock_budget(v_deadline, 2);
      insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes,
                                       idempotency_key, attendee_name, attendee_email, practitioner_id,
                                       buffer_before_minutes, buffer_after_minutes)
      values (p_org_id, v_lead_id, v_service, p_scheduled_at, v_ends_at, v_duration, v_key, v_name, v_email, v_practitioner,
              v_before, v_after)
      returning id into v_appointment_id;
      perform private.record_booking_event(v_appointment_id, 'booked');
    exception
      when exclusion_violation then
        -- Only a writer that bypassed this function can get here; the constraint still wins.
        return private.booking_failure('SLOT_UNAVAILABLE',
          private.nearest_bookable_starts(p_org_id, v_candidates, p_scheduled_at, v_duration, v_before, v_after));
      when unique_violation then
        return private.booking_failure('TRY_AGAIN');
    end;
  exception
    when lock_not_available or query_canceled or deadlock_detected then
      return private.booking_failure('TRY_AGAIN');
  end;

  return private.booking_reply(v_appointment_id, false);
end;
$$;

comment on function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text, uuid) is
  'Books one appointment atomically (per-clinic advisory lock with at most 3 waiters, overlap check per calendar with buffers, exclusion constraint as backstop; all waits within 3 s, answered TRY_AGAIN). p_practitioner_id null = anyone. Writes a booked event. Returns jsonb; see docs/receptionist-calls.md.';

revoke execute on function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text, uuid) from public, anon, authenticated;
grant execute on function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text, uuid) to service_role;
