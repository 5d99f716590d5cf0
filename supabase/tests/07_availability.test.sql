-- Alternatives offered on refusal, and the read-only availability RPC.
begin;
\ir fixtures/helpers.psql
select plan(11);

select tests.create_org('Avail Clinic', 'Asia/Tokyo', 'JP') as org \gset
select tests.local_slot(:'org', 7, '10:00') as ten \gset

select ok((public.book_appointment_atomic(:'org', 'Ann', null, '+81 3-1234-5678', 'checkup', :'ten', 60) ->> 'success')::boolean, 'booked 10:00–11:00 Tokyo');
select public.book_appointment_atomic(:'org', 'Ben', null, '+81 3-1234-9999', 'checkup', :'ten', 60) as taken \gset
select is(jsonb_array_length(:'taken'::jsonb -> 'alternatives'), 3, 'a refused slot offers three alternatives');
select results_eq(format($$ select (value #>> '{}')::timestamptz from jsonb_array_elements(%L::jsonb -> 'alternatives') $$, :'taken'),
  format($$ values (%L::timestamptz - interval '75 minutes'), (%L::timestamptz - interval '60 minutes'), (%L::timestamptz + interval '60 minutes') $$, :'ten', :'ten', :'ten'),
  'the three nearest free starts of the same length, none overlapping, in time order');

select public.book_appointment_atomic(:'org', 'Ben', null, '+81 3-1234-9999', 'checkup', tests.local_slot(:'org', 7, '21:00'), 30) as closed \gset
select is(:'closed'::jsonb ->> 'error', 'OUTSIDE_BUSINESS_HOURS', '21:00 is outside business hours');
select ok((select bool_and(((value #>> '{}')::timestamptz at time zone 'Asia/Tokyo')::time between '06:00' and '19:30')
           from jsonb_array_elements(:'closed'::jsonb -> 'alternatives')), 'its alternatives are inside business hours');
select ok((select bool_and((value #>> '{}')::timestamptz >= now()) from jsonb_array_elements(:'closed'::jsonb -> 'alternatives')), 'and never in the past');

select public.check_availability(:'org', ((:'ten'::timestamptz) at time zone 'Asia/Tokyo')::date, 60) as day \gset
select is(:'day'::jsonb ->> 'timezone', 'Asia/Tokyo', 'availability answers in the clinic time zone');
-- 06:00–20:00 on a 15-minute grid for 60 minutes = 53 starts; 10:00–11:00 taken removes 09:15…10:45 (7).
select is(jsonb_array_length(:'day'::jsonb -> 'slots'), 46, 'all free starts of the day, minus those overlapping the booking');
select ok(not (:'day'::jsonb -> 'slots') @> to_jsonb(array[:'ten'::timestamptz]), 'the booked start is not offered');
select is(public.check_availability(gen_random_uuid(), current_date, 30) ->> 'error', 'ORG_NOT_FOUND', 'unknown org → ORG_NOT_FOUND');
select is(jsonb_array_length(public.check_availability(:'org', current_date - 3, 30) -> 'slots'), 0, 'a past day has no free slots');

select * from finish();
rollback;
