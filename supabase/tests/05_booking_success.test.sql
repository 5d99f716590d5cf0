-- The classic release scenario, normalization into leads, multi-tenancy and idempotency.
begin;
\ir fixtures/helpers.psql
select plan(27);

select tests.create_org('Classic Clinic') as org \gset
select tests.create_org('Second Clinic', 'Europe/London', 'GB') as org2 \gset
-- 08:00 in New York 30 days ahead (13:00 in London: open in both), whatever the session's time zone.
select tests.local_slot(:'org', 30, '08:00') as at \gset

-- The call exactly as a DBA types it: seven positional arguments.
select public.book_appointment_atomic(:'org'::uuid, 'test user', 'TEST@EX.COM', '+1 (555) 123-4567', 'consultation', :'at'::timestamptz, 60) as r1 \gset
select ok((:'r1'::jsonb ->> 'success')::boolean, 'classic call books');
select ok(:'r1'::jsonb ? 'appointment_id' and :'r1'::jsonb ? 'contact_id', 'returns appointment_id and contact_id');
select is((:'r1'::jsonb ->> 'ends_at')::timestamptz, :'at'::timestamptz + interval '60 minutes', 'ends_at = start + duration');
select results_eq(format('select name, email, phone, status from public.leads where id = %L', :'r1'::jsonb ->> 'contact_id'),
  $$ values ('Test User'::text, 'test@ex.com'::text, '+15551234567'::text, 'pending'::text) $$,
  'lead stored as Test User / test@ex.com / +15551234567 / pending');
select is((select service_type from public.appointments where id = (:'r1'::jsonb ->> 'appointment_id')::uuid), 'consultation', 'service type stored');

select public.book_appointment_atomic(:'org'::uuid, 'second person', 'second@ex.com', '+1 (555) 765-4321', 'consultation', :'at'::timestamptz, 60) as r2 \gset
select is(:'r2'::jsonb ->> 'success', 'false', 'a second person at the same time is refused');
select is(:'r2'::jsonb ->> 'error', 'SLOT_UNAVAILABLE', '… with SLOT_UNAVAILABLE');
select is((select count(*)::int from public.appointments where org_id = :'org' and scheduled_at = :'at'), 1, 'exactly one appointment at that time');
select is((select count(*)::int from public.leads where org_id = :'org' and phone = '+15557654321'), 0, 'the refused caller was not half-written into leads');

-- Another clinic books the same time.
select ok((public.book_appointment_atomic(:'org2'::uuid, 'test user', null, '+44 20 7946 0958', 'consultation', :'at'::timestamptz, 60) ->> 'success')::boolean,
  'another clinic can book the same time');
select is((select phone from public.leads where org_id = :'org2'), '+442079460958', 'international numbers are stored as E.164');

-- Normalization of messy input.
select public.book_appointment_atomic(:'org'::uuid, '  jOHN   o''brien ', ' John@EX.com ', '(555) 444-3333', 'Follow Up', :'at'::timestamptz + interval '2 hours', 30) as r3 \gset
select results_eq(format('select name, email, phone from public.leads where id = %L', :'r3'::jsonb ->> 'contact_id'),
  $$ values ('John O''Brien'::text, 'john@ex.com'::text, '+15554443333'::text) $$,
  'Title Case name, lowercase email, national US number to E.164');
select is((select service_type from public.appointments where id = (:'r3'::jsonb ->> 'appointment_id')::uuid), 'follow up', 'service type normalized to lowercase');
select is((:'r3'::jsonb ->> 'duration_minutes')::int, 30, 'duration as asked');
select is((public.book_appointment_atomic(:'org'::uuid, 'mary-jane smith', null, '0015550001234', 'checkup', :'at'::timestamptz + interval '4 hours', null) ->> 'duration_minutes')::int,
  30, 'null duration → the clinic default');
select is((select name || ' ' || phone from public.leads where phone = '+15550001234'), 'Mary-Jane Smith +15550001234', '00 prefix read as international; hyphenated names capitalized');

-- An existing lead keeps its id, status, name and email (09_contacts: a later caller never renames it).
update public.leads set status = 'contacted' where id = (:'r1'::jsonb ->> 'contact_id')::uuid;
select public.book_appointment_atomic(:'org'::uuid, 'TEST USER', null, '+15551234567', 'consultation', :'at'::timestamptz + interval '6 hours', 30) as r4 \gset
select is(:'r4'::jsonb ->> 'contact_id', :'r1'::jsonb ->> 'contact_id', 'same phone → same lead');
select results_eq(format('select status, email from public.leads where id = %L', :'r1'::jsonb ->> 'contact_id'),
  $$ values ('contacted'::text, 'test@ex.com'::text) $$, 'an existing lead keeps its status, and its email when none is given');

-- Same caller, same slot, no key: they get their booking back, not SLOT_UNAVAILABLE.
select public.book_appointment_atomic(:'org'::uuid, 'Test User', 'test@ex.com', '+15551234567', 'consultation', :'at'::timestamptz, 60) as r5 \gset
select is(:'r5'::jsonb ->> 'appointment_id', :'r1'::jsonb ->> 'appointment_id', 'the holder asking again gets the same appointment');
select is(:'r5'::jsonb ->> 'replayed', 'true', '… marked as replayed');

-- Idempotency keys.
select public.book_appointment_atomic(:'org'::uuid, 'Key Holder', null, '+15550300001', 'checkup', :'at'::timestamptz + interval '8 hours', 30, 'key-1') as k1 \gset
select public.book_appointment_atomic(:'org'::uuid, 'Key Holder', null, '+15550300001', 'checkup', :'at'::timestamptz + interval '8 hours', 30, 'key-1') as k2 \gset
select ok((:'k1'::jsonb ->> 'success')::boolean and (:'k2'::jsonb ->> 'success')::boolean, 'same key twice → success twice');
select is(:'k2'::jsonb ->> 'appointment_id', :'k1'::jsonb ->> 'appointment_id', 'same key → the original appointment');
select is((select count(*)::int from public.appointments where idempotency_key = 'key-1'), 1, 'same key → one row');
select is(public.book_appointment_atomic(:'org'::uuid, 'Key Holder', null, '+15550300001', 'checkup', :'at'::timestamptz + interval '9 hours', 30, 'key-1') ->> 'error',
  'IDEMPOTENCY_KEY_REUSED', 'same key, other slot → IDEMPOTENCY_KEY_REUSED');
select is(public.book_appointment_atomic(:'org'::uuid, 'Someone Else', null, '+15550300009', 'checkup', :'at'::timestamptz + interval '8 hours', 30, 'key-1') ->> 'error',
  'IDEMPOTENCY_KEY_REUSED', 'same key, other caller → IDEMPOTENCY_KEY_REUSED');
select ok((public.book_appointment_atomic(:'org2'::uuid, 'Key Holder', null, '+15550300001', 'checkup', tests.local_slot(:'org2', 30, '15:00'), 30, 'key-1') ->> 'success')::boolean,
  'keys are per clinic');
select is((select count(*)::int from public.appointments where org_id = :'org'), 5, 'clinic 1 holds exactly the five bookings made');

select * from finish();
rollback;
