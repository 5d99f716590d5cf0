-- Reverts 20261202130700_book_appointment_atomic_practitioners: the 8-argument function and
-- booking_failure as 20261202101000 made them.
drop function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text, uuid);
drop function private.booking_reply(uuid, boolean);
drop function private.same_booking(uuid, uuid[], text, text, timestamptz, timestamptz);

-- The one booking function, fixed forward (docs/tenancy-and-waits.md):
--   * a lead is the phone's contact record: found or created, never renamed; the caller's
--     name and email go on the appointment (attendee_name, attendee_email);
--   * an idempotency key replays its booking only while it is active (APPOINTMENT_INACTIVE
--     otherwise) and only for the same name, email, phone, slot, duration and service
--     (IDEMPOTENCY_KEY_REUSED otherwise);
--   * every wait is bounded by ONE budget of 3 s and answered TRY_AGAIN, as is a statement
--     timeout; at most 3 sessions wait for one clinic's lock, the rest answer TRY_AGAIN at once;
--   * finite times within the clinic's booking horizon (BEYOND_HORIZON, with latest_date);
--   * opening hours as instants: windows may cross midnight, one DST rule (private.open_hours);
--   * the endpoint's contact rules (private.normalize_name / is_valid_email / normalize_phone).
-- Answers:
--   {"success": true, "appointment_id", "contact_id", "scheduled_at", "ends_at", "duration_minutes", "replayed"}
--   {"success": false, "error": CODE, "message": safe text[, "alternatives": [timestamptz…]][, "latest_date": "YYYY-MM-DD"]}

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
      else 'The booking could not be completed.'
    end,
    'alternatives', p_alternatives
  ))
$$;

create function public.book_appointment_atomic(
  p_org_id uuid,
  p_name text,
  p_email text,
  p_phone text,
  p_service_type text,
  p_scheduled_at timestamptz,
  p_duration_minutes integer,
  p_idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
-- The ceiling of any one lock wait, restored when the function returns. Before each statement
-- that may wait, the function lowers it to what is left of its total budget (v_deadline).
set lock_timeout = '3s'
as $$
declare
  -- ONE bound for all the waits of this call together: the advisory lock, the clinic and lead
  -- row locks and an uncommitted conflicting insert. Well below service_role's 8 s statement
  -- timeout and Vapi's 20 s tool timeout.
  v_deadline timestamptz := pg_catalog.clock_timestamp() + interval '3 seconds';
  v_lock_key bigint := pg_catalog.hashtextextended('book_appointment_atomic:' || p_org_id::text, 0);
  v_name text := private.normalize_name(p_name);
  v_email text := nullif(pg_catalog.lower(pg_catalog.btrim(p_email)), '');
  v_phone text;
  v_service text := pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(p_service_type), '[[:space:]]+', ' ', 'g'));
  v_key text := p_idempotency_key;
  v_time_zone text;
  v_country text;
  v_duration integer;
  v_latest_date date;
  v_ends_at timestamptz;
  v_locked boolean;
  v_hit record;
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
  -- Only the characters people write phone numbers with; the number is read after the org.
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

  -- Everything from here may wait (locks) or run into the statement timeout: each becomes
  -- TRY_AGAIN, never a raw SQL error (the handler below).
  begin
    -- 2. The clinic, its horizon and hours.
    select o.timezone, o.default_country, coalesce(p_duration_minutes, o.default_duration_minutes),
           (pg_catalog.now() at time zone o.timezone)::date + o.booking_horizon_days
      into v_time_zone, v_country, v_duration, v_latest_date
    from public.organizations o
    where o.id = p_org_id;
    if not found then
      return private.booking_failure('ORG_NOT_FOUND');
    end if;

    v_phone := private.normalize_phone(p_phone, v_country);
    if v_phone is null then
      return private.booking_failure('INVALID_PHONE');
    end if;

    v_ends_at := p_scheduled_at + pg_catalog.make_interval(mins => v_duration);
    if (p_scheduled_at at time zone v_time_zone)::date > v_latest_date then
      return private.booking_failure('BEYOND_HORIZON')
        || pg_catalog.jsonb_build_object('latest_date', pg_catalog.to_char(v_latest_date, 'YYYY-MM-DD'));
    end if;
    -- The whole appointment inside the clinic's open hours (windows of the day before may run
    -- past midnight into this one; adjacent windows join).
    if not (private.open_hours(p_org_id, (p_scheduled_at at time zone v_time_zone)::date - 1, (v_ends_at at time zone v_time_zone)::date)
            operator(pg_catalog.@>) pg_catalog.tstzrange(p_scheduled_at, v_ends_at, '[)')) then
      return private.booking_failure('OUTSIDE_BUSINESS_HOURS',
        private.nearest_free_slots(p_org_id, p_scheduled_at, v_duration));
    end if;

    -- 3. One booking of this clinic at a time; other clinics are not blocked (64-bit key).
    --    Only 3 sessions may queue for one clinic (private.take_booking_waiter_slot), so a stuck
    --    clinic cannot hold the connection pool that other clinics share.
    v_locked := pg_catalog.pg_try_advisory_xact_lock(v_lock_key);
    if not v_locked and private.take_booking_waiter_slot(p_org_id) then
      perform private.set_lock_budget(v_deadline);
      perform pg_catalog.pg_advisory_xact_lock(v_lock_key);
      v_locked := true;
    end if;
    -- Without the lock (the queue was full) the two checks below still answer what they can
    -- from committed rows: a replay or a refusal needs no lock. Only writing does.

    -- 4. A retry of a booking already made answers as the first time did, while it is active.
    if v_key is not null then
      select a.id, a.lead_id, a.scheduled_at, a.ends_at, a.duration_minutes, a.is_active,
             (l.phone = v_phone and a.attendee_name = v_name and a.attendee_email is not distinct from v_email
              and a.scheduled_at = p_scheduled_at and a.duration_minutes = v_duration and a.service_type = v_service) as same_request
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
        return pg_catalog.jsonb_build_object(
          'success', true, 'appointment_id', v_hit.id, 'contact_id', v_hit.lead_id,
          'scheduled_at', v_hit.scheduled_at, 'ends_at', v_hit.ends_at,
          'duration_minutes', v_hit.duration_minutes, 'replayed', true);
      end if;
    end if;

    -- 5. Overlap check. The same caller (phone and name) asking again for the slot they hold
    --    gets their booking back; anyone else is offered the nearest free times.
    select a.id, a.lead_id, a.scheduled_at, a.ends_at, a.duration_minutes,
           (l.phone = v_phone and a.attendee_name = v_name and a.scheduled_at = p_scheduled_at and a.ends_at = v_ends_at) as same_booking
      into v_hit
    from public.appointments a
    join public.leads l on l.org_id = a.org_id and l.id = a.lead_id
    where a.org_id = p_org_id
      and a.is_active
      and pg_catalog.tstzrange(a.scheduled_at, a.ends_at, '[)') && pg_catalog.tstzrange(p_scheduled_at, v_ends_at, '[)')
    order by 6 desc
    limit 1;
    if found then
      if v_hit.same_booking then
        return pg_catalog.jsonb_build_object(
          'success', true, 'appointment_id', v_hit.id, 'contact_id', v_hit.lead_id,
          'scheduled_at', v_hit.scheduled_at, 'ends_at', v_hit.ends_at,
          'duration_minutes', v_hit.duration_minutes, 'replayed', true);
      end if;
      return private.booking_failure('SLOT_UNAVAILABLE',
        private.nearest_free_slots(p_org_id, p_scheduled_at, v_duration));
    end if;

    if not v_locked then
      return private.booking_failure('TRY_AGAIN');
    end if;

    -- 6. Write the lead (if new) and the appointment together: either both or neither. Row
    --    locks are KEY SHARE only (what the foreign keys take anyway), taken here explicitly so
    --    each wait is under the budget: a staff edit of the lead's name or of the clinic's
    --    settings does not conflict with them, and nothing here updates the lead.
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
        -- DO NOTHING, not DO UPDATE: an upsert's update would rename the lead and lock it
        -- against staff edits.
        insert into public.leads (org_id, name, email, phone)
        values (p_org_id, v_name, v_email, v_phone)
        on conflict (org_id, phone) do nothing
        returning id into v_lead_id;
        if v_lead_id is null then
          -- Another writer created it meanwhile (and has committed: the insert waited for it).
          perform private.set_lock_budget(v_deadline);
          select l.id into v_lead_id from public.leads l where l.org_id = p_org_id and l.phone = v_phone for key share;
          if not found then
            -- …and it is gone again (deleted): let the caller retry.
            raise exception using errcode = 'lock_not_available', message = 'lead vanished';
          end if;
        end if;
      end if;

      -- This insert can wait twice at most, and only on writers that bypass this function (an
      -- uncommitted overlapping row, an uncommitted row with the same key): each gets half of
      -- what is left, so the total stays within the budget.
      perform private.set_lock_budget(v_deadline, 2);
      insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes,
                                       idempotency_key, attendee_name, attendee_email)
      values (p_org_id, v_lead_id, v_service, p_scheduled_at, v_ends_at, v_duration, v_key, v_name, v_email)
      returning id into v_appointment_id;
    exception
      when exclusion_violation then
        -- Only a writer that bypassed this function can get here; the constraint still wins.
        return private.booking_failure('SLOT_UNAVAILABLE',
          private.nearest_free_slots(p_org_id, p_scheduled_at, v_duration));
      when unique_violation then
        -- The same key committed meanwhile by a writer that bypassed the lock: a retry replays it.
        return private.booking_failure('TRY_AGAIN');
    end;
  exception
    when lock_not_available or query_canceled or deadlock_detected then
      return private.booking_failure('TRY_AGAIN');
  end;

  return pg_catalog.jsonb_build_object(
    'success', true, 'appointment_id', v_appointment_id, 'contact_id', v_lead_id,
    'scheduled_at', p_scheduled_at, 'ends_at', v_ends_at,
    'duration_minutes', v_duration, 'replayed', false);
end;
$$;

comment on function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text) is
  'Books one appointment atomically (per-clinic advisory lock with at most 3 waiters, overlap check, exclusion constraint as backstop; all waits within 3 s, answered TRY_AGAIN). Finds or creates the caller''s lead without changing it; the caller''s name is kept on the appointment. Returns jsonb; see README "Error codes".';

revoke execute on function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text) from public, anon, authenticated;
grant execute on function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text) to service_role;
