-- Patients' records stay theirs (issue 10): a later call never rewrites a lead; the caller's
-- name is kept on the appointment; an idempotency key replays only an active booking and only
-- for the same details; the SQL backstop normalizes or refuses contacts as the endpoint does.
begin;
\ir fixtures/helpers.psql
select plan(41);

select tests.create_org('Contacts Clinic') as org \gset
select tests.create_org('London Contacts', 'Europe/London', 'GB') as org_gb \gset
create function pg_temp.book(p_name text, p_email text, p_phone text, p_days integer, p_at time, p_key text default null, p_org uuid default null)
returns jsonb language sql as $$
  select public.book_appointment_atomic(coalesce(p_org, (select id from public.organizations where name = 'Contacts Clinic')),
    p_name, p_email, p_phone, 'checkup', tests.local_slot(coalesce(p_org, (select id from public.organizations where name = 'Contacts Clinic')), p_days, p_at), 30, p_key)
$$;

-- 3. A second caller quoting the patient's number.
select pg_temp.book('mary patient', 'mary@patient.test', '+15550140001', 3, '09:00') as mary \gset
select pg_temp.book('eve intruder', 'eve@evil.test', '(555) 014-0001', 3, '11:00') as eve \gset
select ok((:'eve'::jsonb ->> 'success')::boolean, 'a second caller with the same phone books (a family shares a phone)');
select is(:'eve'::jsonb ->> 'contact_id', :'mary'::jsonb ->> 'contact_id', '… under the phone''s one lead');
select results_eq(format('select name, email from public.leads where id = %L', :'mary'::jsonb ->> 'contact_id'),
  $$ values ('Mary Patient'::text, 'mary@patient.test'::text) $$, 'the lead keeps the name and email it was created with');
select results_eq(format('select attendee_name, attendee_email from public.appointments where id = %L', :'mary'::jsonb ->> 'appointment_id'),
  $$ values ('Mary Patient'::text, 'mary@patient.test'::text) $$, 'Mary''s appointment still shows Mary');
select results_eq(format('select attendee_name, attendee_email from public.appointments where id = %L', :'eve'::jsonb ->> 'appointment_id'),
  $$ values ('Eve Intruder'::text, 'eve@evil.test'::text) $$, 'the second appointment records the name and email its caller gave');
update public.leads set email = null where id = (:'mary'::jsonb ->> 'contact_id')::uuid;
select ok((pg_temp.book('mary patient', 'other@x.test', '+15550140001', 4, '09:00') ->> 'success')::boolean, 'a later booking');
select is((select email from public.leads where id = (:'mary'::jsonb ->> 'contact_id')::uuid), null, 'a later call does not fill in an email staff removed either');
select col_not_null('public', 'appointments', 'attendee_name', 'every appointment names its attendee');

-- The same phone at the same slot under another name is not "their own booking back".
select is(pg_temp.book('eve intruder', null, '+15550140001', 3, '09:00') ->> 'error', 'SLOT_UNAVAILABLE',
  'another name on the same phone asking for Mary''s slot is refused, not handed Mary''s booking');
select is(pg_temp.book('Mary Patient', null, '+15550140001', 3, '09:00') ->> 'appointment_id', :'mary'::jsonb ->> 'appointment_id',
  'Mary asking again for her slot gets it back');

-- 4. Idempotent replay only while active, and only for the same details.
select pg_temp.book('key person', 'key@p.test', '+15550140101', 5, '10:00', 'k-active') as k1 \gset
select is(pg_temp.book('key person', 'key@p.test', '+15550140101', 5, '10:00', 'k-active') ->> 'appointment_id', :'k1'::jsonb ->> 'appointment_id',
  'the same key and details replay the booking');
select is(pg_temp.book('Other Person', 'key@p.test', '+15550140101', 5, '10:00', 'k-active') ->> 'error', 'IDEMPOTENCY_KEY_REUSED', 'same key, other name → IDEMPOTENCY_KEY_REUSED');
select is(pg_temp.book('key person', 'other@p.test', '+15550140101', 5, '10:00', 'k-active') ->> 'error', 'IDEMPOTENCY_KEY_REUSED', 'same key, other email → IDEMPOTENCY_KEY_REUSED');
select is(pg_temp.book('key person', null, '+15550140101', 5, '10:00', 'k-active') ->> 'error', 'IDEMPOTENCY_KEY_REUSED', 'same key, email dropped → IDEMPOTENCY_KEY_REUSED');
select is(pg_temp.book('key person', 'key@p.test', '+15550140102', 5, '10:00', 'k-active') ->> 'error', 'IDEMPOTENCY_KEY_REUSED', 'same key, other phone → IDEMPOTENCY_KEY_REUSED');
select is(pg_temp.book('key person', 'key@p.test', '+15550140101', 5, '10:30', 'k-active') ->> 'error', 'IDEMPOTENCY_KEY_REUSED', 'same key, other slot → IDEMPOTENCY_KEY_REUSED');
select is(pg_temp.book('KEY   PERSON', ' Key@P.test ', '(555) 014-0101', 5, '10:00', 'k-active') ->> 'appointment_id', :'k1'::jsonb ->> 'appointment_id',
  'details that normalize to the same are the same request');
update public.appointments set status = 'cancelled' where id = (:'k1'::jsonb ->> 'appointment_id')::uuid;
select ok((pg_temp.book('slot taker', null, '+15550140103', 5, '10:00') ->> 'success')::boolean, 'someone else books the freed slot');
select is(pg_temp.book('key person', 'key@p.test', '+15550140101', 5, '10:00', 'k-active') - 'message',
  '{"success": false, "error": "APPOINTMENT_INACTIVE"}'::jsonb, 'a replay of the cancelled booking → APPOINTMENT_INACTIVE, not "booked"');
select is(pg_temp.book('Other Person', 'key@p.test', '+15550140101', 5, '10:00', 'k-active') ->> 'error', 'IDEMPOTENCY_KEY_REUSED',
  'the key with other details stays IDEMPOTENCY_KEY_REUSED after cancellation');
select is((select count(*)::int from public.appointments where idempotency_key = 'k-active'), 1, 'no second row under the key');
select is(private.booking_failure('APPOINTMENT_INACTIVE') ->> 'message', 'That booking is no longer active.', 'APPOINTMENT_INACTIVE has a speakable message');

-- 10. Phones: normalized as libphonenumber would, or refused.
select ok((pg_temp.book('Lon Don', null, '+44 (0)20 7946 0958', 3, '10:00', null, :'org_gb') ->> 'success')::boolean, 'a London number with the trunk "(0)" books');
select is((select phone from public.leads where org_id = :'org_gb'), '+442079460958', '… stored without the national trunk 0');
select is((pg_temp.book('Lon Don', null, '+44 20 7946 0958', 4, '10:00', null, :'org_gb') ->> 'contact_id'),
  (select id::text from public.leads where org_id = :'org_gb'), 'the same number written without "(0)" is the same lead');
select is(pg_temp.book('Short One', null, '+1 234 567', 3, '12:00') ->> 'error', 'INVALID_PHONE', '+1 with 7 digits → INVALID_PHONE (NANP needs 10)');
select is(pg_temp.book('Zero Area', null, '(055) 123-4567', 3, '12:00') ->> 'error', 'INVALID_PHONE', 'a US area code starting with 0 → INVALID_PHONE');
select is(pg_temp.book('One Area', null, '+1 155 123 4567', 3, '12:00') ->> 'error', 'INVALID_PHONE', 'a NANP area code starting with 1 → INVALID_PHONE');
select is(pg_temp.book('Test Line', null, '+15554443333', 3, '12:00') ->> 'success', 'true', 'the fictional 555 numbers clinics test with still book');

-- 10. Names: no invisible format characters; white space as the endpoint reads it.
select is(pg_temp.book(E'Ann\u202eBell', null, '+15550140201', 3, '13:00') ->> 'error', 'INVALID_NAME', 'a right-to-left override (U+202E) → INVALID_NAME');
select is(pg_temp.book(E'Ann\u200bBell', null, '+15550140201', 3, '13:00') ->> 'error', 'INVALID_NAME', 'a zero-width space (U+200B) → INVALID_NAME');
select is(pg_temp.book(E'Ann\u2066Bell', null, '+15550140201', 3, '13:00') ->> 'error', 'INVALID_NAME', 'an isolate (U+2066) → INVALID_NAME');
select is(pg_temp.book(E'\ufeffAnn Bell', null, '+15550140201', 3, '13:00') ->> 'error', 'INVALID_NAME', 'a byte-order mark (U+FEFF) → INVALID_NAME');
select is(pg_temp.book(E'\u00a0ann\u00a0\u00a0bell\u202f', null, '+15550140201', 3, '13:00') ->> 'success', 'true', 'no-break spaces are white space …');
select is((select name from public.leads where phone = '+15550140201'), 'Ann Bell', '… trimmed and single-spaced like the endpoint does');
select is(pg_temp.book(E'Ra\u200dj', null, '+15550140202', 3, '14:00') ->> 'success', 'true', 'the zero-width joiner some scripts need is allowed');

-- 10. Emails: the endpoint's rule.
select is(pg_temp.book('Email Test', '<script>@x.y', '+15550140301', 3, '15:00') ->> 'error', 'INVALID_EMAIL', '<script>@x.y → INVALID_EMAIL');
select is(pg_temp.book('Email Test', 'a..b@ex.com', '+15550140301', 3, '15:00') ->> 'error', 'INVALID_EMAIL', 'a double dot → INVALID_EMAIL');

-- … and the leads table holds every writer to the same rules.
select throws_ok(format($$ insert into public.leads (org_id, name, phone) values (%L, E'Eve\u202eLyn', '+15550140401') $$, :'org'), '23514', null,
  'leads refuse a name with a bidi override');
select throws_ok(format($$ insert into public.leads (org_id, name, phone, email) values (%L, 'Eve Lyn', '+15550140401', '<script>@x.y') $$, :'org'), '23514', null,
  'leads refuse an email the endpoint would refuse');
select throws_ok(format($$ insert into public.leads (org_id, name, phone) values (%L, 'Eve Lyn', '+1234567') $$, :'org'), '23514', null,
  'leads refuse a +1 number that is not ten NANP digits');

select * from finish();
rollback;
