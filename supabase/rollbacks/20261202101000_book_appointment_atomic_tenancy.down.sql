-- Reverts 20261202101000_book_appointment_atomic_tenancy: booking_failure and book_appointment_atomic
-- as 20261125100800 made them.
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
      when 'IDEMPOTENCY_KEY_REUSED' then 'This request key was already used for a different booking.'
      when 'INVALID_IDEMPOTENCY_KEY' then 'The request key must be 1 to 200 characters.'
      when 'TRY_AGAIN' then 'The schedule is busy right now; please try again.'
      else 'The booking could not be completed.'
    end,
    'alternatives', p_alternatives
  ))
$$;

create or replace function public.book_appointment_atomic(
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
-- A booking queued behind a stuck transaction answers TRY_AGAIN instead of outliving the
-- voice assistant's 20 s tool timeout.
set lock_timeout = '5s'
as $$
declare
  v_name text := pg_catalog.initcap(pg_catalog.regexp_replace(pg_catalog.btrim(p_name), '[[:space:]]+', ' ', 'g'));
  v_email text := nullif(pg_catalog.lower(pg_catalog.btrim(p_email)), '');
  v_phone_raw text := pg_catalog.btrim(p_phone);
  v_phone text;
  v_service text := pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(p_service_type), '[[:space:]]+', ' ', 'g'));
  v_key text := p_idempotency_key;
  v_time_zone text;
  v_country text;
  v_duration integer;
  v_ends_at timestamptz;
  v_local_start timestamp;
  v_hit record;
  v_lead_id uuid;
  v_appointment_id uuid;
begin
  -- 1. Arguments, before touching anything.
  if p_org_id is null then
    return private.booking_failure('ORG_NOT_FOUND');
  end if;
  if v_name is null or pg_catalog.char_length(v_name) not between 1 and 100
     or v_name !~ '[[:alpha:]]' or p_name ~ '[[:cntrl:]]' then
    return private.booking_failure('INVALID_NAME');
  end if;
  if v_email is not null and (pg_catalog.char_length(v_email) > 254
     or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$') then
    return private.booking_failure('INVALID_EMAIL');
  end if;
  -- Only the characters people write phone numbers with; the digits are read after the org.
  if v_phone_raw is null or v_phone_raw !~ '^\+?[0-9 ().\-/]+$' then
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

  -- 2. The clinic.
  select o.timezone, o.default_country, coalesce(p_duration_minutes, o.default_duration_minutes)
    into v_time_zone, v_country, v_duration
  from public.organizations o
  where o.id = p_org_id;
  if not found then
    return private.booking_failure('ORG_NOT_FOUND');
  end if;

  -- E.164: international form as given (+ or 00); national form only for NANP clinics, whose
  -- numbers are unambiguous without metadata. The edge function sends E.164 already
  -- (libphonenumber-js with the clinic's country); this is the backstop for SQL callers.
  v_phone := pg_catalog.regexp_replace(v_phone_raw, '[^0-9]', '', 'g');
  v_phone := case
    when v_phone_raw like '+%' then '+' || v_phone
    when v_phone like '00%' then '+' || pg_catalog.substr(v_phone, 3)
    when v_country in ('US', 'CA', 'PR') and pg_catalog.char_length(v_phone) = 10 then '+1' || v_phone
    when v_country in ('US', 'CA', 'PR') and pg_catalog.char_length(v_phone) = 11 and v_phone like '1%' then '+' || v_phone
  end;
  if v_phone is null or v_phone !~ '^\+[1-9][0-9]{6,14}$' then
    return private.booking_failure('INVALID_PHONE');
  end if;

  v_ends_at := p_scheduled_at + pg_catalog.make_interval(mins => v_duration);
  v_local_start := p_scheduled_at at time zone v_time_zone;
  if not exists (
    select 1
    from public.organization_business_hours h
    where h.org_id = p_org_id
      and h.weekday = extract(isodow from v_local_start)
      and v_local_start >= v_local_start::date + h.opens_at
      and (v_ends_at at time zone v_time_zone) <= v_local_start::date + h.closes_at
  ) then
    return private.booking_failure('OUTSIDE_BUSINESS_HOURS',
      private.nearest_free_slots(p_org_id, p_scheduled_at, v_duration));
  end if;

  -- 3. One booking of this clinic at a time; other clinics are not blocked (64-bit key).
  begin
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended('book_appointment_atomic:' || p_org_id::text, 0));
  exception when lock_not_available then
    return private.booking_failure('TRY_AGAIN');
  end;

  -- 4. A retry of a booking already made answers as the first time did.
  if v_key is not null then
    select a.id, a.lead_id, a.scheduled_at, a.ends_at, a.duration_minutes, a.service_type, l.phone
      into v_hit
    from public.appointments a
    join public.leads l on l.org_id = a.org_id and l.id = a.lead_id
    where a.org_id = p_org_id and a.idempotency_key = v_key;
    if found then
      if v_hit.phone = v_phone and v_hit.scheduled_at = p_scheduled_at
         and v_hit.duration_minutes = v_duration and v_hit.service_type = v_service then
        return pg_catalog.jsonb_build_object(
          'success', true, 'appointment_id', v_hit.id, 'contact_id', v_hit.lead_id,
          'scheduled_at', v_hit.scheduled_at, 'ends_at', v_hit.ends_at,
          'duration_minutes', v_hit.duration_minutes, 'replayed', true);
      end if;
      return private.booking_failure('IDEMPOTENCY_KEY_REUSED');
    end if;
  end if;

  -- 5. Overlap check under the lock. The same caller asking again for the slot they hold gets
  --    their booking back; anyone else is offered the nearest free times.
  select a.id, a.lead_id, a.scheduled_at, a.ends_at, a.duration_minutes,
         (l.phone = v_phone and a.scheduled_at = p_scheduled_at and a.ends_at = v_ends_at) as same_booking
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

  -- 6. Write the lead and the appointment together: either both or neither.
  begin
    insert into public.leads as l (org_id, name, email, phone)
    values (p_org_id, v_name, v_email, v_phone)
    on conflict (org_id, phone) do update
      set name = excluded.name,
          email = coalesce(excluded.email, l.email)
    returning l.id into v_lead_id;

    insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, idempotency_key)
    values (p_org_id, v_lead_id, v_service, p_scheduled_at, v_ends_at, v_duration, v_key)
    returning id into v_appointment_id;
  exception when exclusion_violation then
    -- Only a writer that bypassed this function can get here; the constraint still wins.
    return private.booking_failure('SLOT_UNAVAILABLE',
      private.nearest_free_slots(p_org_id, p_scheduled_at, v_duration));
  end;

  return pg_catalog.jsonb_build_object(
    'success', true, 'appointment_id', v_appointment_id, 'contact_id', v_lead_id,
    'scheduled_at', p_scheduled_at, 'ends_at', v_ends_at,
    'duration_minutes', v_duration, 'replayed', false);
end;
$$;

comment on function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text) is
  'Books one appointment atomically (per-clinic advisory lock, overlap check, exclusion constraint as backstop) and upserts the caller into leads. Returns jsonb; see README "Error codes".';

