-- find_appointments, cancel_appointment, reschedule_appointment and the outbox (issue 13 items
-- 3–4): only the caller's own appointments (a caller quoting someone else's phone must also give
-- that person's name, and a wrong name looks exactly like "none"), idempotent retries, a cancelled
-- or moved appointment cannot be moved, the old booking stays when the new slot is taken, and
-- every change writes exactly one event in its own transaction.
begin;
\ir fixtures/helpers.psql
select plan(49);

select tests.create_org('Calls Clinic') as org \gset
select tests.create_org('Elsewhere Clinic') as other \gset
create function pg_temp.book(p_org uuid, p_name text, p_phone text, p_at timestamptz) returns uuid language sql as $$
  select (public.book_appointment_atomic(p_org, p_name, null, p_phone, 'checkup', p_at, 30) ->> 'appointment_id')::uuid $$;
create function pg_temp.events(p_org uuid) returns text[] language sql as $$
  select coalesce(array_agg(kind order by id), '{}') from public.booking_events where org_id = p_org $$;

select pg_temp.book(:'org', 'Ann Lee', '+15550130001', tests.local_slot(:'org', 3, '10:00')) as ann1 \gset
select pg_temp.book(:'org', 'Ann Lee', '+15550130001', tests.local_slot(:'org', 5, '10:00')) as ann2 \gset
select pg_temp.book(:'org', 'Tom Lee', '+15550130001', tests.local_slot(:'org', 6, '10:00')) as tom \gset
select pg_temp.book(:'org', 'Bo Chen', '+15550130002', tests.local_slot(:'org', 3, '11:00')) as bo \gset
select pg_temp.book(:'other', 'Ann Lee', '+15550130001', tests.local_slot(:'other', 4, '10:00')) as elsewhere \gset
select is(pg_temp.events(:'org'), array['booked', 'booked', 'booked', 'booked'], 'each booking wrote one booked event');
select is((select payload ?| array['name', 'phone', 'email', 'attendee_name'] from public.booking_events where appointment_id = :'ann1'), false,
  'events carry no names, phones or emails');

-- find
select public.find_appointments(:'org', '(555) 013-0001') as found \gset
select is((select array_agg((e ->> 'appointment_id')::uuid order by ord) from jsonb_array_elements(:'found'::jsonb -> 'appointments') with ordinality x(e, ord)),
  array[:'ann1', :'ann2', :'tom']::uuid[], 'find by phone (any format): the phone''s upcoming appointments at this clinic, soonest first');
select is((select array(select jsonb_object_keys(:'found'::jsonb -> 'appointments' -> 0) order by 1)),
  array['appointment_id', 'ends_at', 'practitioner', 'scheduled_at', 'service_type'], 'each item: id, times, service, practitioner, no names');
select is(jsonb_array_length(public.find_appointments(:'org', '+15550130001', 'tom LEE') -> 'appointments'), 1,
  'with a name (case-insensitive): only that attendee''s');
select is(public.find_appointments(:'org', '+15550130001', 'Eve Mallory'), public.find_appointments(:'org', '+15550130099'),
  'quoting a phone with a wrong name answers exactly like an unknown phone (no oracle)');
select is(public.find_appointments(:'org', '+15550130099') -> 'appointments', '[]'::jsonb, '… an empty list');
select is(jsonb_array_length(public.find_appointments(:'other', '+15550130001') -> 'appointments'), 1, 'another clinic sees only its own');
select is(public.find_appointments(:'org', 'call me') ->> 'error', 'INVALID_PHONE', 'a phone that is not one → INVALID_PHONE');
select is(public.find_appointments(gen_random_uuid(), '+15550130001') ->> 'error', 'ORG_NOT_FOUND', 'unknown clinic → ORG_NOT_FOUND');

-- cancel
select public.cancel_appointment(:'org', '+15550130001') as ambiguous \gset
select is(:'ambiguous'::jsonb ->> 'error', 'AMBIGUOUS_APPOINTMENT', 'three upcoming and none chosen → AMBIGUOUS_APPOINTMENT');
select is(jsonb_array_length(:'ambiguous'::jsonb -> 'appointments'), 3, '… listing them');
select is(public.cancel_appointment(:'org', '+15550130001', 'Eve Mallory', null, :'ann1'), public.cancel_appointment(:'org', '+15550130099', null, null, :'ann1'),
  'someone quoting Ann''s phone with another name is answered like an unknown phone');
select is(public.cancel_appointment(:'org', '+15550130002', null, null, :'ann1') ->> 'error', 'APPOINTMENT_NOT_FOUND', 'Bo cannot cancel Ann''s appointment by its id');
select is(public.cancel_appointment(:'other', '+15550130001', null, null, :'ann1') ->> 'error', 'APPOINTMENT_NOT_FOUND', 'nor can another clinic');
select is((select status from public.appointments where id = :'ann1'), 'booked', '… Ann''s appointment is untouched');
select public.cancel_appointment(:'org', '+15550130001', 'ann lee', ((now() at time zone 'America/New_York')::date + 3)) as cancelled \gset
select is(array[:'cancelled'::jsonb ->> 'success', :'cancelled'::jsonb ->> 'appointment_id', :'cancelled'::jsonb ->> 'replayed'],
  array['true', :'ann1', 'false'], 'name + day picks one: cancelled');
select is(public.cancel_appointment(:'org', '+15550130001', 'ann lee', ((now() at time zone 'America/New_York')::date + 3)) ->> 'replayed', 'true',
  'the retry answers success again, replayed');
select is(pg_temp.events(:'org'), array['booked', 'booked', 'booked', 'booked', 'cancelled'], 'one cancelled event, not two');
select ok(pg_temp.book(:'org', 'Cy Diaz', '+15550130003', tests.local_slot(:'org', 3, '10:00')) is not null, 'the slot is free at once');
select is(public.cancel_appointment(:'org', '+15550130002') ->> 'success', 'true', 'one upcoming appointment, none chosen: cancelled');
select is(public.cancel_appointment(:'org', '+15550130002', null, null, :'bo') ->> 'replayed', 'true', 'a retry by id: replayed');

-- reschedule
select tests.local_slot(:'org', 7, '15:00') as new_start \gset
select public.reschedule_appointment(:'org', '+15550130001', :'new_start', null, null, :'ann2', 'move-1') as moved \gset
select is(array[:'moved'::jsonb ->> 'success', :'moved'::jsonb ->> 'rescheduled_from', :'moved'::jsonb ->> 'replayed'],
  array['true', :'ann2', 'false'], 'moved: the answer names the appointment it replaced');
select is((:'moved'::jsonb ->> 'scheduled_at')::timestamptz, :'new_start'::timestamptz, '… at the new time');
select is((select array[status, (select status from public.appointments where id = (:'moved'::jsonb ->> 'appointment_id')::uuid)] from public.appointments where id = :'ann2'),
  array['rescheduled', 'booked'], 'the old is rescheduled (inactive), the new booked');
select is((select array[attendee_name, service_type, duration_minutes::text] from public.appointments where id = (:'moved'::jsonb ->> 'appointment_id')::uuid),
  array['Ann Lee', 'checkup', '30'], 'the new keeps attendee, service and length');
select is(public.reschedule_appointment(:'org', '+15550130001', :'new_start', null, null, :'ann2', 'move-1') ->> 'replayed', 'true',
  'a retry with the same key: the new appointment again, replayed');
select is(public.reschedule_appointment(:'org', '+15550130001', :'new_start'::timestamptz + interval '1 hour', null, null, :'ann2', 'move-1') ->> 'error',
  'IDEMPOTENCY_KEY_REUSED', 'the same key for another time → IDEMPOTENCY_KEY_REUSED');
select is(public.reschedule_appointment(:'org', '+15550130001', :'new_start'::timestamptz + interval '1 hour', null, null, :'ann2') ->> 'error',
  'APPOINTMENT_INACTIVE', 'a moved appointment cannot be moved again');
select is(public.reschedule_appointment(:'org', '+15550130001', :'new_start'::timestamptz + interval '1 hour', null, null, :'ann1') ->> 'error',
  'APPOINTMENT_INACTIVE', 'nor a cancelled one');
select is(pg_temp.events(:'org'), array['booked', 'booked', 'booked', 'booked', 'cancelled', 'booked', 'cancelled', 'rescheduled'],
  'one rescheduled event for the move, none for the replay or refusals');
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, rescheduled_from)
  select org_id, lead_id, service_type, scheduled_at + interval '3 days', ends_at + interval '3 days', duration_minutes, %L
  from public.appointments where id = %L $$, :'ann2', :'ann2'),
  '23505', null, 'even past the function: a second successor of one appointment violates the unique rescheduled_from');

-- the new slot taken: refused with alternatives, the old booking stays
select public.reschedule_appointment(:'org', '+15550130001', tests.local_slot(:'org', 3, '10:00'), 'Tom Lee') as taken \gset
select is(:'taken'::jsonb ->> 'error', 'SLOT_UNAVAILABLE', 'Tom moving onto Cy''s 10:00 → SLOT_UNAVAILABLE');
select is(jsonb_array_length(:'taken'::jsonb -> 'alternatives'), 3, '… with alternatives');
select is((select status from public.appointments where id = :'tom'), 'booked', '… and Tom keeps his booking');
select is(public.reschedule_appointment(:'org', '+15550130001', tests.local_slot(:'org', 6, '10:15'), 'Tom Lee') ->> 'success', 'true',
  'a move by 15 minutes overlapping the appointment itself is fine');
select is(public.reschedule_appointment(:'org', '+15550130001', tests.local_slot(:'org', 6, '10:15'), 'Eve Mallory') ->> 'error', 'APPOINTMENT_NOT_FOUND',
  'a wrong name cannot move anything');
select is(public.reschedule_appointment(:'org', '+15550130001', tests.local_slot(:'org', 6, '23:00'), 'Tom Lee') ->> 'error', 'OUTSIDE_BUSINESS_HOURS',
  'outside hours → OUTSIDE_BUSINESS_HOURS');
select is(public.reschedule_appointment(:'org', '+15550130001', now() - interval '1 hour', 'Tom Lee') ->> 'error', 'PAST_TIME', 'the past → PAST_TIME');
update public.organizations set min_notice_minutes = 10080 where id = :'org';
select is(public.reschedule_appointment(:'org', '+15550130001', tests.local_slot(:'org', 2, '10:00'), 'Tom Lee') ->> 'error', 'TOO_SOON', 'inside the notice → TOO_SOON');
update public.organizations set min_notice_minutes = 0 where id = :'org';
insert into public.closures (org_id, during) values (:'org', tstzrange(tests.local_slot(:'org', 9, '00:00'), tests.local_slot(:'org', 10, '00:00')));
select is(public.reschedule_appointment(:'org', '+15550130001', tests.local_slot(:'org', 9, '10:00'), 'Tom Lee') ->> 'error', 'CLINIC_CLOSED', 'a holiday → CLINIC_CLOSED');
select is(public.reschedule_appointment(:'org', '+15550130001', tests.local_slot(:'org', 9, '10:00')) ->> 'error', 'AMBIGUOUS_APPOINTMENT',
  'two active appointments on the phone and none chosen → AMBIGUOUS_APPOINTMENT');

-- the health checks stay green on all this
\ir fixtures/health-checks.psql
select set_config('checks.org_ids', format('{%s,%s}', :'org', :'other'), true) is not null as scoped \gset
select ok(ok, detail) from tests.health_check(:'check_one_active_per_reschedule_chain');
select ok(ok, detail) from tests.health_check(:'check_booking_events_have_appointments');
select ok(ok, detail) from tests.health_check(:'check_no_overlapping_appointments');

-- service_role only
select ok(not has_function_privilege('anon', 'public.find_appointments(uuid,text,text)', 'execute')
      and not has_function_privilege('authenticated', 'public.find_appointments(uuid,text,text)', 'execute')
      and has_function_privilege('service_role', 'public.find_appointments(uuid,text,text)', 'execute'), 'find_appointments: service_role only');
select ok(not has_function_privilege('anon', 'public.cancel_appointment(uuid,text,text,date,uuid)', 'execute')
      and not has_function_privilege('authenticated', 'public.cancel_appointment(uuid,text,text,date,uuid)', 'execute')
      and has_function_privilege('service_role', 'public.cancel_appointment(uuid,text,text,date,uuid)', 'execute'), 'cancel_appointment: service_role only');
select ok(not has_function_privilege('anon', 'public.reschedule_appointment(uuid,text,timestamptz,text,date,uuid,text)', 'execute')
      and not has_function_privilege('authenticated', 'public.reschedule_appointment(uuid,text,timestamptz,text,date,uuid,text)', 'execute')
      and has_function_privilege('service_role', 'public.reschedule_appointment(uuid,text,timestamptz,text,date,uuid,text)', 'execute'), 'reschedule_appointment: service_role only');
select ok((select bool_and('lock_timeout=3s' = any(proconfig)) from pg_proc where proname in ('find_appointments', 'cancel_appointment', 'reschedule_appointment')),
  'each bounds its lock waits');

select * from finish();
rollback;
