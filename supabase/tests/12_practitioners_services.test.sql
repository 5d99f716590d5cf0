-- Practitioners, services, buffers, minimum notice and closures (issue 13 items 1–2): the
-- no-overlap rule per calendar with buffers, "anyone" assignment, named practitioners of other
-- clinics, own hours and time off (on DST days too), refusals with alternatives, and RLS on the
-- new tables as another clinic's admin, staff and anon.
begin;
\ir fixtures/helpers.psql
select plan(54);

-- A clinic (06:00–20:00, New York) with practitioners Ann (all services), Bea (all services),
-- and a catalogue: assessment 45 min + 15 after (alias "first visit"); massage 60 min, Bea only.
select tests.create_org('Physio A') as org \gset
select tests.create_org('Physio B') as other \gset
insert into public.practitioners (org_id, name) values (:'org', 'Ann Avery') returning id as ann \gset
insert into public.practitioners (org_id, name) values (:'org', 'Bea Brown') returning id as bea \gset
insert into public.practitioners (org_id, name) values (:'other', 'Cy Other') returning id as cy \gset
insert into public.services (org_id, name, aliases, duration_minutes, buffer_after_minutes)
values (:'org', 'assessment', '{first visit}', 45, 15) returning id as assessment \gset
insert into public.services (org_id, name, duration_minutes) values (:'org', 'massage', 60) returning id as massage \gset
insert into public.service_practitioners (org_id, service_id, practitioner_id) values (:'org', :'massage', :'bea');

select tests.local_slot(:'org', 5, '11:00') as eleven \gset
create function pg_temp.book(p_org uuid, p_phone text, p_service text, p_at timestamptz, p_practitioner uuid default null, p_minutes integer default null)
returns jsonb language sql as $$
  select public.book_appointment_atomic(p_org, 'Caller ' || right(p_phone, 3), null, p_phone, p_service, p_at, p_minutes, null, p_practitioner) $$;

-- 1. "Anyone": two practitioners take 11:00, the third caller is refused with alternatives.
select pg_temp.book(:'org', '+15550120001', 'First  Visit', :'eleven') as r1 \gset
select pg_temp.book(:'org', '+15550120002', 'assessment', :'eleven') as r2 \gset
select pg_temp.book(:'org', '+15550120003', 'assessment', :'eleven') as r3 \gset
select is(array[:'r1'::jsonb ->> 'practitioner', :'r2'::jsonb ->> 'practitioner'], array['Ann Avery', 'Bea Brown'],
  'anyone: 11:00 goes to Ann, then to Bea (least booked, then by name)');
select is((select array[service_type, duration_minutes::text, buffer_after_minutes::text] from public.appointments where id = (:'r1'::jsonb ->> 'appointment_id')::uuid),
  array['assessment', '45', '15'], 'an alias maps to the catalogue entry: its name, duration and buffer are stored');
select is(:'r3'::jsonb ->> 'error', 'SLOT_UNAVAILABLE', 'both busy: SLOT_UNAVAILABLE');
select ok(jsonb_array_length(:'r3'::jsonb -> 'alternatives') = 3, 'with three alternatives');
select is(pg_temp.book(:'org', '+15550120003', 'assessment', :'eleven' ::timestamptz + interval '45 minutes') ->> 'error', 'SLOT_UNAVAILABLE',
  'the 15-minute buffer after 11:00–11:45 keeps 11:45 busy');
select is(pg_temp.book(:'org', '+15550120003', 'assessment', :'eleven'::timestamptz + interval '1 hour') ->> 'success', 'true',
  '12:00 (after the buffer) is free');
select ok(not (:'r3'::jsonb -> 'alternatives') @> to_jsonb(:'eleven'::timestamptz + interval '45 minutes'),
  'no alternative falls inside a buffer');
select is(pg_temp.book(:'org', '+15550120001', 'assessment', :'eleven') ->> 'replayed', 'true',
  'the same caller asking again for the slot they hold gets it back');

-- 2. A named practitioner.
select is(pg_temp.book(:'org', '+15550120004', 'assessment', :'eleven', :'cy') ->> 'error', 'PRACTITIONER_NOT_FOUND',
  'another clinic''s practitioner id → PRACTITIONER_NOT_FOUND');
select is(pg_temp.book(:'org', '+15550120004', 'assessment', :'eleven', gen_random_uuid()) ->> 'error', 'PRACTITIONER_NOT_FOUND', 'an unknown id too');
select is(pg_temp.book(:'org', '+15550120004', 'massage', tests.local_slot(:'org', 6, '09:00'), :'ann') ->> 'error', 'SERVICE_NOT_OFFERED',
  'massage with Ann (Bea only) → SERVICE_NOT_OFFERED');
select is(pg_temp.book(:'org', '+15550120004', 'massage', tests.local_slot(:'org', 6, '09:00')) ->> 'practitioner', 'Bea Brown',
  'massage with anyone → Bea');
select is(pg_temp.book(:'org', '+15550120005', 'assessment', tests.local_slot(:'org', 6, '09:00'), :'bea') ->> 'error', 'SLOT_UNAVAILABLE',
  'Bea named at a time she holds → SLOT_UNAVAILABLE');
select is(pg_temp.book(:'org', '+15550120005', 'assessment', tests.local_slot(:'org', 6, '09:00')) ->> 'practitioner', 'Ann Avery',
  'anyone at that time → Ann');
select is(pg_temp.book(:'org', '+15550120006', 'yoga', :'eleven') -> 'services', '["assessment", "massage"]'::jsonb,
  'an unknown service in a clinic with a catalogue → UNKNOWN_SERVICE with the catalogue''s names');
update public.practitioners set active = false where id = :'ann';
select is(pg_temp.book(:'org', '+15550120006', 'assessment', tests.local_slot(:'org', 7, '09:00'), :'ann') ->> 'error', 'PRACTITIONER_NOT_FOUND',
  'an inactive practitioner → PRACTITIONER_NOT_FOUND');
update public.practitioners set active = true where id = :'ann';

-- 3. Own hours and time off.
insert into public.practitioner_hours (org_id, practitioner_id, weekday, opens_at, closes_at)
select :'org', :'ann', d::smallint, time '13:00', time '17:00' from generate_series(1, 7) as g(d);
select is(pg_temp.book(:'org', '+15550120007', 'follow', tests.local_slot(:'org', 8, '09:00')) ->> 'error', 'UNKNOWN_SERVICE', 'sanity: catalogue only');
select is(pg_temp.book(:'org', '+15550120007', 'assessment', tests.local_slot(:'org', 8, '09:00'), :'ann') ->> 'error', 'OUTSIDE_BUSINESS_HOURS',
  'Ann named outside her own hours (13–17) → OUTSIDE_BUSINESS_HOURS');
select is(pg_temp.book(:'org', '+15550120007', 'assessment', tests.local_slot(:'org', 8, '09:00')) ->> 'practitioner', 'Bea Brown',
  'anyone at 09:00 → Bea, who works the clinic''s hours');
insert into public.closures (org_id, practitioner_id, during)
values (:'org', :'bea', tstzrange(tests.local_slot(:'org', 9, '00:00'), tests.local_slot(:'org', 10, '00:00')));
select pg_temp.book(:'org', '+15550120008', 'assessment', tests.local_slot(:'org', 9, '10:00'), :'bea') as off \gset
select is(:'off'::jsonb ->> 'error', 'SLOT_UNAVAILABLE', 'Bea named on her day off → SLOT_UNAVAILABLE');
select ok(jsonb_array_length(:'off'::jsonb -> 'alternatives') = 3 and not exists (select 1 from jsonb_array_elements_text(:'off'::jsonb -> 'alternatives') t
                      where t::timestamptz >= tests.local_slot(:'org', 9, '00:00') and t::timestamptz < tests.local_slot(:'org', 10, '00:00')),
  '… and three alternatives, none on her day off');
select is(pg_temp.book(:'org', '+15550120008', 'assessment', tests.local_slot(:'org', 9, '10:00')) ->> 'error', 'SLOT_UNAVAILABLE',
  'anyone at 10:00 that day: Ann works 13–17 only and Bea is off → SLOT_UNAVAILABLE');
select is(pg_temp.book(:'org', '+15550120008', 'assessment', tests.local_slot(:'org', 8, '06:00'), :'ann') -> 'alternatives',
  (select jsonb_agg(tests.local_slot(:'org', 8, t) order by t) from unnest(array[time '13:00', '13:15', '13:30']) t),
  'Ann named at 06:00: alternatives from her own hours only');
select is(pg_temp.book(:'org', '+15550120008', 'assessment', tests.local_slot(:'org', 9, '14:00')) ->> 'practitioner', 'Ann Avery',
  'anyone at 14:00 that day → Ann');

-- 4. Clinic closures and minimum notice.
insert into public.closures (org_id, during, reason)
values (:'org', tstzrange(tests.local_slot(:'org', 11, '00:00'), tests.local_slot(:'org', 12, '00:00')), 'holiday');
select pg_temp.book(:'org', '+15550120009', 'assessment', tests.local_slot(:'org', 11, '14:00')) as closed \gset
select is(:'closed'::jsonb ->> 'error', 'CLINIC_CLOSED', 'a clinic holiday → CLINIC_CLOSED');
select ok(jsonb_array_length(:'closed'::jsonb -> 'alternatives') = 3 and not exists (
  select 1 from jsonb_array_elements_text(:'closed'::jsonb -> 'alternatives') t
  where t::timestamptz >= tests.local_slot(:'org', 11, '00:00') and t::timestamptz < tests.local_slot(:'org', 12, '00:00')),
  '… with three alternatives, none on the holiday');
select is(jsonb_array_length(public.check_availability(:'org', ((now() at time zone 'America/New_York')::date + 11), null, 'assessment') -> 'slots'), 0,
  'check_availability offers nothing on the holiday');
update public.organizations set min_notice_minutes = 10080 where id = :'org';
select pg_temp.book(:'org', '+15550120010', 'assessment', tests.local_slot(:'org', 2, '14:00')) as soon \gset
select is(:'soon'::jsonb ->> 'error', 'TOO_SOON', 'inside the minimum notice (a week) → TOO_SOON');
select ok((select bool_and(t::timestamptz >= now() + interval '7 days') from jsonb_array_elements_text(:'soon'::jsonb -> 'alternatives') t),
  '… alternatives all after the notice');
update public.organizations set min_notice_minutes = 0 where id = :'org';

-- 5. check_availability: a start is free when some eligible practitioner is free.
select public.check_availability(:'org', ((:'eleven'::timestamptz) at time zone 'America/New_York')::date, null, 'assessment') as day \gset
select ok(not (:'day'::jsonb -> 'slots') @> to_jsonb(:'eleven'::timestamptz), '11:00 (both practitioners busy) is not offered');
select ok((:'day'::jsonb -> 'slots') @> to_jsonb(:'eleven'::timestamptz - interval '1 hour'), '10:00 (free, buffer ends at 11:00) is');
select is((:'day'::jsonb ->> 'duration_minutes')::int, 45, 'the service''s duration');
select is(public.check_availability(:'org', current_date + 3, null, 'assessment', :'cy') ->> 'error', 'PRACTITIONER_NOT_FOUND',
  'check_availability refuses another clinic''s practitioner');

-- 6. The exclusion constraint per calendar, buffers included, for writers that bypass the function.
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, practitioner_id)
  select org_id, lead_id, 'x', %L::timestamptz + interval '50 minutes', %L::timestamptz + interval '80 minutes', 30, practitioner_id
  from public.appointments where id = %L $$, :'eleven', :'eleven', :'r1'::jsonb ->> 'appointment_id'),
  '23P01', null, 'a raw insert inside another appointment''s buffer on the same practitioner violates appointments_no_overlap');
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, practitioner_id)
  select org_id, lead_id, 'x', scheduled_at + interval '1 day', ends_at + interval '1 day', duration_minutes, %L from public.appointments where id = %L $$, :'cy', :'r1'::jsonb ->> 'appointment_id'),
  '23503', null, 'an appointment cannot name another clinic''s practitioner (composite foreign key)');
update public.appointments set blocked_until = blocked_until - interval '15 minutes' where id = (:'r1'::jsonb ->> 'appointment_id')::uuid;
select is((select blocked_until - ends_at from public.appointments where id = (:'r1'::jsonb ->> 'appointment_id')::uuid), interval '15 minutes',
  'blocked_until cannot be shortened by hand: the trigger recomputes it from the buffer');
alter table public.appointments disable trigger appointments_blocked_range;
select throws_ok(format($$ update public.appointments set blocked_until = blocked_until - interval '15 minutes' where id = %L $$, :'r1'::jsonb ->> 'appointment_id'),
  '23514', null, '… and with the trigger disabled, the check refuses it');
alter table public.appointments enable trigger appointments_blocked_range;

-- 7. A clinic without practitioners or catalogue: one calendar, as before.
select tests.create_org('Classic') as classic \gset
select is(pg_temp.book(:'classic', '+15550120020', 'checkup', tests.local_slot(:'classic', 5, '11:00'), null, 30) ?| array['practitioner', 'practitioner_id'], false,
  'a classic booking answers without practitioner keys');
select is((select calendar_id from public.appointments where org_id = :'classic'), :'classic'::uuid, '… and its calendar is the clinic');

-- 8. DST: a practitioner's own hours follow the clinic's one rule (private.local_instant).
create function pg_temp.dst_day(p_time_zone text, p_hours integer) returns date language sql as $$
  select x.d from generate_series(0, 400) as g(i),
    lateral (select (now() at time zone p_time_zone)::date + 2 + g.i as d) x
  where private.local_instant((x.d + 1)::timestamp, p_time_zone) - private.local_instant(x.d::timestamp, p_time_zone) = make_interval(hours => p_hours)
  order by x.d limit 1 $$;
select tests.create_org('Night Physio') as night \gset
update public.organization_business_hours set opens_at = '01:00', closes_at = '04:00' where org_id = :'night';
insert into public.practitioners (org_id, name) values (:'night', 'Dee Night') returning id as dee \gset
insert into public.practitioner_hours (org_id, practitioner_id, weekday, opens_at, closes_at)
select :'night', :'dee', d::smallint, time '01:00', time '04:00' from generate_series(1, 7) as g(d);
select pg_temp.dst_day('America/New_York', 23) as spring \gset
select pg_temp.dst_day('America/New_York', 25) as fall \gset
select is(private.calendar_open_hours(:'night', :'dee', :'spring', :'spring'), private.open_hours(:'night', :'spring', :'spring'),
  'spring-forward day: own hours 01:00–04:00 are the same instants as the clinic''s (2 real hours)');
select is(private.calendar_open_hours(:'night', :'dee', :'fall', :'fall'), private.open_hours(:'night', :'fall', :'fall'),
  'fall-back day: the same instants too (4 real hours, from the first 01:00)');
select is(jsonb_array_length(public.check_availability(:'night', :'fall', 60, null, :'dee') -> 'slots'), 13,
  'fall-back day: Dee offers 13 hourly starts in her 4 real hours (15-minute steps)');
select is(jsonb_array_length(public.check_availability(:'night', :'spring', 60, null, :'dee') -> 'slots'), 5,
  'spring-forward day: 5 in her 2 real hours');

-- 9. RLS on the new tables.
select tests.create_user('admin-a@example.com') as admin_a \gset
select tests.create_user('admin-b@example.com') as admin_b \gset
select tests.create_user('staff-a@example.com') as staff_a \gset
select tests.add_member(:'org', :'admin_a', 'admin');
select tests.add_member(:'other', :'admin_b', 'admin');
select tests.add_member(:'org', :'staff_a', 'staff');

select tests.authenticate_as(:'admin_b');
select throws_ok(format($$ insert into public.practitioners (org_id, name) values (%L, 'Intruder') $$, :'org'),
  '42501', null, 'another clinic''s admin cannot add a practitioner to this clinic');
select throws_ok(format($$ insert into public.practitioner_hours (org_id, practitioner_id, weekday, opens_at, closes_at) values (%L, %L, 1, '09:00', '10:00') $$, :'other', :'ann'),
  '23503', null, '… nor attach hours to this clinic''s practitioner under their own clinic');
select is((select count(*)::int from public.practitioners where org_id = :'org') + (select count(*)::int from public.services where org_id = :'org')
          + (select count(*)::int from public.closures where org_id = :'org') + (select count(*)::int from public.booking_events where org_id = :'org'), 0,
  '… and sees none of its practitioners, services, closures or events');
select lives_ok(format($$ update public.services set duration_minutes = 5 where org_id = %L $$, :'org'), 'an update of another clinic''s services…');
select tests.clear_authentication();
select is((select duration_minutes from public.services where id = :'assessment'), 45, '… changes nothing');

select tests.authenticate_as(:'staff_a');
select is((select count(*)::int from public.booking_events where org_id = :'org') > 0, true, 'staff read their clinic''s events');
select throws_ok(format($$ insert into public.closures (org_id, during) values (%L, tstzrange(now(), now() + interval '1 day')) $$, :'org'),
  '42501', null, 'staff cannot close the clinic (admins only)');
select throws_ok(format($$ insert into public.booking_events (org_id, appointment_id, kind) values (%L, %L, 'booked') $$, :'org', :'r1'::jsonb ->> 'appointment_id'),
  '42501', null, 'nobody but the service role writes events');
select tests.clear_authentication();

select tests.authenticate_as(:'admin_a');
select lives_ok(format($$ insert into public.closures (org_id, practitioner_id, during, reason) values (%L, %L, tstzrange(now() + interval '30 days', now() + interval '31 days'), 'leave') $$, :'org', :'bea'),
  'the clinic''s admin records a practitioner''s time off');
select throws_ok(format($$ insert into public.services (org_id, name, duration_minutes) values (%L, 'Deep  Tissue', 30) $$, :'org'),
  '23514', null, 'service names are stored normalized (lowercase, single-spaced)');
select tests.clear_authentication();

select tests.authenticate_as_anon();
select throws_ok('select count(*) from public.practitioners', '42501', null, 'anon cannot read practitioners');
select tests.clear_authentication();

select * from finish();
rollback;
