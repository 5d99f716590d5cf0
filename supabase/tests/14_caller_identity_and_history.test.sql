-- Found by attacking the receptionist calls: a quoted phone unlocks an appointment only with the
-- name on that appointment (never the lead's name, which the first caller with that phone set),
-- and what the bookings wrote stays history whatever staff do with the table.
begin;
\ir fixtures/helpers.psql
select plan(9);

select tests.create_org('Identity Clinic') as org \gset
select tests.create_user('staff@identity.test') as staff \gset
select tests.add_member(:'org', :'staff', 'staff');

-- Mallory books first under Victoria's number (so the lead is named Mallory), then cancels.
select (public.book_appointment_atomic(:'org', 'Mallory Evil', null, '+15550320000', 'checkup', tests.local_slot(:'org', 3, '09:00'), 30) ->> 'appointment_id')::uuid as mallory \gset
select ok((public.cancel_appointment(:'org', '+15550320000', 'Mallory Evil') ->> 'success')::boolean, 'the first booker cancels her own booking');
-- Victoria books from her own line.
select (public.book_appointment_atomic(:'org', 'Victoria Real', null, '+15550320000', 'checkup', tests.local_slot(:'org', 5, '14:00'), 30) ->> 'appointment_id')::uuid as victoria \gset
select is((select name from public.leads where org_id = :'org' and phone = '+15550320000'), 'Mallory Evil', 'the lead keeps the first caller''s name (leads are never rewritten)');

select is(public.find_appointments(:'org', '+15550320000', 'Mallory Evil') -> 'appointments', '[]'::jsonb,
  'the lead''s name does not unlock Victoria''s appointment: find shows nothing');
select is(public.reschedule_appointment(:'org', '+15550320000', tests.local_slot(:'org', 6, '16:00'), 'Mallory Evil') ->> 'error', 'APPOINTMENT_NOT_FOUND',
  'nor can it move it');
-- (Her cancel is answered as the retry of her own cancellation, not as Victoria's.)
select is(public.cancel_appointment(:'org', '+15550320000', 'Mallory Evil') ->> 'appointment_id', :'mallory', 'nor cancel it: a cancel under her name only replays her own');
select is((select status from public.appointments where id = :'victoria'), 'booked', 'Victoria''s appointment is untouched');
select is(jsonb_array_length(public.find_appointments(:'org', '+15550320000', 'victoria real') -> 'appointments'), 1,
  'the name on the appointment does (case-insensitive)');

-- History: a moved appointment cannot be made active again, events cannot be deleted with their appointment.
select (public.reschedule_appointment(:'org', '+15550320000', tests.local_slot(:'org', 6, '10:00'), 'Victoria Real') ->> 'appointment_id')::uuid as moved \gset
select tests.authenticate_as(:'staff');
select throws_ok(format($$ update public.appointments set status = 'booked' where id = %L $$, :'victoria'), '23514', null,
  'staff cannot set a rescheduled appointment active again (two active in one chain)');
select throws_ok(format($$ delete from public.appointments where id = %L $$, :'moved'), '23503', null,
  'staff cannot delete an appointment and with it its outbox events: cancel instead');
select tests.clear_authentication();

select * from finish();
rollback;
