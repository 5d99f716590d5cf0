-- Move one of the caller's own upcoming appointments, atomically (docs/receptionist-calls.md).
--   reschedule_appointment(p_org_id, p_phone, p_new_start, p_name default null, p_day default null,
--                          p_appointment_id default null, p_idempotency_key default null) →
--     {"success": true, "appointment_id" (the new one), "contact_id", "scheduled_at", "ends_at", "duration_minutes",
--      "replayed", "rescheduled_from", "previous_scheduled_at"[, "practitioner_id", "practitioner"]}
--     {"success": false, "error": SLOT_UNAVAILABLE | OUTSIDE_BUSINESS_HOURS | TOO_SOON | CLINIC_CLOSED, "message", "alternatives"}
--     {"success": false, "error": AMBIGUOUS_APPOINTMENT, "message", "appointments": [...]}
--     {"success": false, "error": APPOINTMENT_NOT_FOUND | APPOINTMENT_INACTIVE | BEYOND_HORIZON (+ latest_date)
--        | IDEMPOTENCY_KEY_REUSED | INVALID_* | PAST_TIME | ORG_NOT_FOUND | TRY_AGAIN, "message"}
-- Under the clinic's booking lock: the new slot is checked with every booking rule (ignoring the
-- appointment being moved), then in ONE subtransaction the old one becomes 'rescheduled' and the
-- new one is inserted with rescheduled_from = old (the exclusion constraint and the unique
-- rescheduled_from index hold even for writers that bypass the lock). Refused → the old booking
-- stays. Same practitioner when they are free then; otherwise any practitioner who offers the service.
create or replace function public.reschedule_appointment(
  p_org_id uuid,
  p_phone text,
  p_new_start timestamptz,
  p_name text default null,
  p_day date default null,
  p_appointment_id uuid default null,
  p_idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
set lock_timeout = '3s'
as $$
declare
  v_deadline timestamptz := pg_catalog.clock_timestamp() + interval '3 seconds';
  v_name text := private.normalize_name(p_name);
  v_key text := p_idempotency_key;
  v_time_zone text;
  v_country text;
  v_min_notice integer;
  v_latest_date date;
  v_phone text;
  v_locked boolean;
  v_ids uuid[];
  v_old public.appointments;
  v_hit record;
  v_svc public.services;
  v_candidates uuid[];
  v_practitioner uuid;
  v_new_end timestamptz;
  v_new_id uuid;
  v_constraint text;
begin
  if p_org_id is null then
    return private.booking_failure('ORG_NOT_FOUND');
  end if;
  if p_phone is null or pg_catalog.btrim(p_phone) !~ '^\+?[0-9 ().\-/]+$' then
    return private.booking_failure('INVALID_PHONE');
  end if;
  if p_name is not null and v_name is null then
    return private.booking_failure('INVALID_NAME');
  end if;
  if p_new_start is null or not pg_catalog.isfinite(p_new_start) or (p_day is not null and not pg_catalog.isfinite(p_day)) then
    return private.booking_failure('INVALID_DATE');
  end if;
  if p_new_start < pg_catalog.now() then
    return private.booking_failure('PAST_TIME');
  end if;
  if v_key is not null and pg_catalog.char_length(v_key) not between 1 and 200 then
    return private.booking_failure('INVALID_IDEMPOTENCY_KEY');
  end if;

  begin
    select o.timezone, o.default_country, o.min_notice_minutes,
           (pg_catalog.now() at time zone o.timezone)::date + o.booking_horizon_days
      into v_time_zone, v_country, v_min_notice, v_latest_date
    from public.organizations o where o.id = p_org_id;
    if not found then
      return private.booking_failure('ORG_NOT_FOUND');
    end if;
    v_phone := private.normalize_phone(p_phone, v_country);
    if v_phone is null then
      return private.booking_failure('INVALID_PHONE');
    end if;

    v_locked := private.take_clinic_lock(p_org_id, v_deadline);

    -- A retry of a move already made answers as the first time did, while the new one is active.
    if v_key is not null then
      select a.id, a.is_active, a.rescheduled_from, a.lead_id,
             (a.rescheduled_from is not null and l.phone = v_phone and a.scheduled_at = p_new_start) as same_request
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
        return private.booking_reply(v_hit.id, true) || (
          select pg_catalog.jsonb_build_object('rescheduled_from', o.id, 'previous_scheduled_at', o.scheduled_at)
          from public.appointments o where o.org_id = p_org_id and o.id = v_hit.rescheduled_from);
      end if;
    end if;
    if not v_locked then
      return private.booking_failure('TRY_AGAIN');
    end if;

    -- The appointment to move: the caller's, upcoming, active, exactly one.
    v_ids := array(select a.id from private.caller_appointments(p_org_id, v_phone, v_name, p_day, p_appointment_id, v_time_zone) a
                   where a.is_active order by a.scheduled_at, a.id);
    if pg_catalog.cardinality(v_ids) > 1 then
      return private.booking_failure('AMBIGUOUS_APPOINTMENT')
        || pg_catalog.jsonb_build_object('appointments', private.appointment_list(v_ids[1:5]));
    end if;
    if pg_catalog.cardinality(v_ids) = 0 then
      -- Named (by id or day) but cancelled or already moved: it cannot be moved again.
      if (p_appointment_id is not null or p_day is not null) and exists (
           select 1 from private.caller_appointments(p_org_id, v_phone, v_name, p_day, p_appointment_id, v_time_zone)) then
        return private.booking_failure('APPOINTMENT_INACTIVE');
      end if;
      return private.booking_failure('APPOINTMENT_NOT_FOUND');
    end if;
    perform private.set_lock_budget(v_deadline);
    select * into v_old from public.appointments a where a.id = v_ids[1] for no key update;
    if not v_old.is_active then
      return private.booking_failure('APPOINTMENT_INACTIVE');
    end if;

    -- The new slot, by every booking rule, for the same service, length and buffers.
    v_new_end := p_new_start + pg_catalog.make_interval(mins => v_old.duration_minutes);
    select * into v_svc from private.catalogue_service(p_org_id, v_old.service_type);
    if exists (select 1 from public.practitioners p where p.org_id = p_org_id and p.active) then
      v_candidates := coalesce(private.offering_practitioners(p_org_id, v_svc.id), array[v_old.practitioner_id]);
    elsif v_old.practitioner_id is not null then
      v_candidates := array[v_old.practitioner_id];
    end if;

    if (p_new_start at time zone v_time_zone)::date > v_latest_date then
      return private.booking_failure('BEYOND_HORIZON')
        || pg_catalog.jsonb_build_object('latest_date', pg_catalog.to_char(v_latest_date, 'YYYY-MM-DD'));
    end if;
    if p_new_start < pg_catalog.now() + pg_catalog.make_interval(mins => v_min_notice) then
      return private.booking_failure('TOO_SOON', private.nearest_bookable_starts(p_org_id, v_candidates, p_new_start,
        v_old.duration_minutes, v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_old.id));
    end if;
    if exists (select 1 from public.closures c
               where c.org_id = p_org_id and c.practitioner_id is null
                 and c.during operator(pg_catalog.&&) pg_catalog.tstzrange(p_new_start, v_new_end, '[)')) then
      return private.booking_failure('CLINIC_CLOSED', private.nearest_bookable_starts(p_org_id, v_candidates, p_new_start,
        v_old.duration_minutes, v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_old.id));
    end if;
    if not exists (select 1 from pg_catalog.unnest(coalesce(v_candidates, array[null::uuid])) as c(id)
                   where private.calendar_open_at(p_org_id, c.id, p_new_start, v_new_end, v_time_zone)) then
      return private.booking_failure('OUTSIDE_BUSINESS_HOURS', private.nearest_bookable_starts(p_org_id, v_candidates, p_new_start,
        v_old.duration_minutes, v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_old.id));
    end if;
    if v_candidates is null then
      if exists (select 1 from public.appointments a
                 where a.org_id = p_org_id and a.calendar_id = p_org_id and a.is_active and a.id <> v_old.id
                   and pg_catalog.tstzrange(a.blocked_from, a.blocked_until, '[)') operator(pg_catalog.&&) pg_catalog.tstzrange(
                         p_new_start - pg_catalog.make_interval(mins => v_old.buffer_before_minutes),
                         v_new_end + pg_catalog.make_interval(mins => v_old.buffer_after_minutes), '[)')) then
        return private.booking_failure('SLOT_UNAVAILABLE', private.nearest_bookable_starts(p_org_id, v_candidates, p_new_start,
          v_old.duration_minutes, v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_old.id));
      end if;
    else
      v_practitioner := coalesce(
        private.free_practitioner(p_org_id, array[v_old.practitioner_id], p_new_start, v_new_end,
          v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_time_zone, v_old.id),
        private.free_practitioner(p_org_id, v_candidates, p_new_start, v_new_end,
          v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_time_zone, v_old.id));
      if v_practitioner is null then
        return private.booking_failure('SLOT_UNAVAILABLE', private.nearest_bookable_starts(p_org_id, v_candidates, p_new_start,
          v_old.duration_minutes, v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_old.id));
      end if;
    end if;

    -- The move: both rows and the event, or nothing (the old booking stays).
    begin
      update public.appointments set status = 'rescheduled' where id = v_old.id;
      perform private.set_lock_budget(v_deadline, 2);
      insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes,
                                       idempotency_key, attendee_name, attendee_email, practitioner_id,
                                       buffer_before_minutes, buffer_after_minutes, rescheduled_from)
      values (p_org_id, v_old.lead_id, v_old.service_type, p_new_start, v_new_end, v_old.duration_minutes,
              v_key, v_old.attendee_name, v_old.attendee_email, v_practitioner,
              v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_old.id)
      returning id into v_new_id;
      perform private.record_booking_event(v_new_id, 'rescheduled', pg_catalog.jsonb_build_object(
        'rescheduled_from', v_old.id, 'previous_scheduled_at', v_old.scheduled_at,
        'previous_practitioner_id', v_old.practitioner_id));
    exception
      when exclusion_violation then
        return private.booking_failure('SLOT_UNAVAILABLE', private.nearest_bookable_starts(p_org_id, v_candidates, p_new_start,
          v_old.duration_minutes, v_old.buffer_before_minutes, v_old.buffer_after_minutes, v_old.id));
      when unique_violation then
        get stacked diagnostics v_constraint = constraint_name;
        -- Moved meanwhile by a writer that bypassed the lock: it cannot be moved twice.
        if v_constraint = 'appointments_rescheduled_from_key' then
          return private.booking_failure('APPOINTMENT_INACTIVE');
        end if;
        return private.booking_failure('TRY_AGAIN');
    end;
  exception
    when lock_not_available or query_canceled or deadlock_detected then
      return private.booking_failure('TRY_AGAIN');
  end;

  return private.booking_reply(v_new_id, false)
    || pg_catalog.jsonb_build_object('rescheduled_from', v_old.id, 'previous_scheduled_at', v_old.scheduled_at);
end;
$$;

comment on function public.reschedule_appointment(uuid, text, timestamptz, text, date, uuid, text) is
  'Moves one of the caller''s own upcoming appointments atomically (new slot taken before the old is released; each appointment moves once). See docs/receptionist-calls.md.';
revoke execute on function public.reschedule_appointment(uuid, text, timestamptz, text, date, uuid, text) from public, anon, authenticated;
grant execute on function public.reschedule_appointment(uuid, text, timestamptz, text, date, uuid, text) to service_role;
