-- Alternatives offered on refusal, and the read-only availability RPC.
begin;
\ir fixtures/helpers.psql
select plan(13);

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
select is(jsonb_array_length(public.check_availability(:'org', tests.local_date(:'org', -3), 30) -> 'slots'), 0, 'a past day has no free slots');

-- A clinic whose three days around the wanted time are fully booked: the nearest free starts
-- are found by the wider two-week search, first thing on the fourth day.
select tests.create_org('Full Clinic', 'Europe/London', 'GB') as full_org \gset
insert into public.leads (org_id, name, phone) values (:'full_org', 'Busy Bee', '+447700900123') returning id as busy_lead \gset
insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
select :'full_org', :'busy_lead', 'checkup', s, s + interval '60 minutes', 60
from generate_series(6, 8) as d, generate_series(6, 19) as h,
     lateral (select tests.local_slot(:'full_org', d, make_time(h, 0, 0)) as s) x;
select public.book_appointment_atomic(:'full_org', 'Cy Cy', null, '+447700900124', 'checkup', tests.local_slot(:'full_org', 7, '10:00'), 60) as full_day \gset
select is(:'full_day'::jsonb ->> 'error', 'SLOT_UNAVAILABLE', 'a fully booked day refuses');
select results_eq(format($$ select (value #>> '{}')::timestamptz from jsonb_array_elements(%L::jsonb -> 'alternatives') $$, :'full_day'),
  format($$ values (%L::timestamptz), (%L::timestamptz), (%L::timestamptz) $$,
    tests.local_slot(:'full_org', 9, '06:00'), tests.local_slot(:'full_org', 9, '06:15'), tests.local_slot(:'full_org', 9, '06:30')),
  'the alternatives come from the first free day after the booked-out days');

select * from finish();
rollback;
