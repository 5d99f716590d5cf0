-- Cancel one of the caller's own upcoming appointments (docs/receptionist-calls.md).
--   cancel_appointment(p_org_id, p_phone, p_name default null, p_day default null, p_appointment_id default null) →
--     {"success": true, "appointment_id", "scheduled_at", "replayed": false}   cancelled now; the slot is free at once
--     {"success": true, "appointment_id", "scheduled_at", "replayed": true}    a retry: this function cancelled it
--                                                                              in the last 10 minutes
--     {"success": false, "error": "AMBIGUOUS_APPOINTMENT", "message", "appointments": [...]}   several match
--     {"success": false, "error": APPOINTMENT_NOT_FOUND | APPOINTMENT_INACTIVE | ORG_NOT_FOUND | INVALID_PHONE
--        | INVALID_NAME | INVALID_DATE | TRY_AGAIN, "message"}
-- Under the clinic's booking lock (a cancel never interleaves with a move of the same
-- appointment), with the same 3 s budget and waiter cap; writes a 'cancelled' event.
create or replace function public.cancel_appointment(
  p_org_id uuid,
  p_phone text,
  p_name text default null,
  p_day date default null,
  p_appointment_id uuid default null
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
  v_time_zone text;
  v_country text;
  v_phone text;
  v_ids uuid[];
  v_hit record;
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
  if p_day is not null and not pg_catalog.isfinite(p_day) then
    return private.booking_failure('INVALID_DATE');
  end if;
  begin
    select o.timezone, o.default_country into v_time_zone, v_country from public.organizations o where o.id = p_org_id;
    if not found then
      return private.booking_failure('ORG_NOT_FOUND');
    end if;
    v_phone := private.normalize_phone(p_phone, v_country);
    if v_phone is null then
      return private.booking_failure('INVALID_PHONE');
    end if;

    if not private.take_clinic_lock(p_org_id, v_deadline) then
      return private.booking_failure('TRY_AGAIN');
    end if;

    v_ids := array(select a.id from private.caller_appointments(p_org_id, v_phone, v_name, p_day, p_appointment_id, v_time_zone) a
                   where a.is_active order by a.scheduled_at, a.id);
    if pg_catalog.cardinality(v_ids) > 1 then
      return private.booking_failure('AMBIGUOUS_APPOINTMENT')
        || pg_catalog.jsonb_build_object('appointments', private.appointment_list(v_ids[1:5]));
    end if;

    if pg_catalog.cardinality(v_ids) = 0 then
      -- A retry of a cancel this function made (its event says so), recently: the same answer.
      select a.id, a.scheduled_at into v_hit
      from private.caller_appointments(p_org_id, v_phone, v_name, p_day, p_appointment_id, v_time_zone) a
      join public.booking_events e on e.org_id = a.org_id and e.appointment_id = a.id and e.kind = 'cancelled'
      where a.status = 'cancelled' and e.created_at > pg_catalog.now() - interval '10 minutes'
      order by e.id desc
      limit 1;
      if found then
        return pg_catalog.jsonb_build_object('success', true, 'appointment_id', v_hit.id, 'scheduled_at', v_hit.scheduled_at, 'replayed', true);
      end if;
      if p_appointment_id is not null and exists (
           select 1 from private.caller_appointments(p_org_id, v_phone, v_name, p_day, p_appointment_id, v_time_zone)) then
        return private.booking_failure('APPOINTMENT_INACTIVE');
      end if;
      return private.booking_failure('APPOINTMENT_NOT_FOUND');
    end if;

    -- Staff may hold the row (an edit): that wait is under the budget too.
    perform private.set_lock_budget(v_deadline);
    select a.id, a.scheduled_at, a.is_active into v_hit from public.appointments a where a.id = v_ids[1] for no key update;
    if not v_hit.is_active then
      return private.booking_failure('APPOINTMENT_INACTIVE');
    end if;
    update public.appointments set status = 'cancelled' where id = v_hit.id;
    perform private.record_booking_event(v_hit.id, 'cancelled');
    return pg_catalog.jsonb_build_object('success', true, 'appointment_id', v_hit.id, 'scheduled_at', v_hit.scheduled_at, 'replayed', false);
  exception
    when lock_not_available or query_canceled or deadlock_detected then
      return private.booking_failure('TRY_AGAIN');
  end;
end;
$$;

comment on function public.cancel_appointment(uuid, text, text, date, uuid) is
  'Cancels one of the caller''s own upcoming appointments (idempotent; writes a cancelled event). See docs/receptionist-calls.md.';
revoke execute on function public.cancel_appointment(uuid, text, text, date, uuid) from public, anon, authenticated;
grant execute on function public.cancel_appointment(uuid, text, text, date, uuid) to service_role;
