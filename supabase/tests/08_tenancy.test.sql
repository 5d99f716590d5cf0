-- Clinics stay apart (issue 10): Vapi routes are provisioned by the service role only and read
-- by members of their own clinic; a call whose assistant and phone number name different
-- clinics resolves to a mismatch; clinics are created and edited by service_role and by their
-- admins (every CHECK they hit is executable by them); times are finite and within the horizon.
begin;
\ir fixtures/helpers.psql
select plan(34);

select tests.create_org('Tenant A') as org_a \gset
select tests.create_org('Tenant C', 'Europe/London', 'GB') as org_c \gset
select tests.create_user('admin-a@a.test') as admin_a \gset
select tests.create_user('staff-a@a.test') as staff_a \gset
select tests.create_user('admin-c@c.test') as admin_c \gset
select tests.add_member(:'org_a', :'admin_a', 'admin');
select tests.add_member(:'org_a', :'staff_a', 'staff');
select tests.add_member(:'org_c', :'admin_c', 'owner');
select tests.add_route(:'org_a', 'assistant', 'asst-tenant-a'), tests.add_route(:'org_a', 'phone_number', 'phone-tenant-a');
select tests.add_route(:'org_c', 'assistant', 'asst-tenant-c'), tests.add_route(:'org_c', 'phone_number', 'phone-tenant-c');

-- 1. Call capture: an admin of A tries to claim C's assistant id, or to move routes about.
select tests.authenticate_as(:'admin_a');
select throws_ok($$ insert into public.vapi_routes (org_id, kind, external_id) values ((select private.member_org_ids() limit 1), 'assistant', 'asst-tenant-c') $$,
  '42501', null, 'an admin cannot insert a route (not even one naming her clinic): no unique violation tells her C uses the id');
select throws_ok($$ insert into public.vapi_routes (org_id, kind, external_id) values ((select private.member_org_ids() limit 1), 'assistant', 'brand-new-id') $$,
  '42501', null, '… and the answer is the same for an id nobody uses');
select throws_ok($$ update public.vapi_routes set external_id = 'asst-tenant-c' $$, '42501', null, 'an admin cannot update routes');
select throws_ok($$ delete from public.vapi_routes $$, '42501', null, 'an admin cannot delete routes');
select results_eq('select external_id from public.vapi_routes order by 1', $$ values ('asst-tenant-a'), ('phone-tenant-a') $$,
  'an admin reads her own clinic''s routes only');
select tests.clear_authentication();
select tests.authenticate_as(:'staff_a');
select results_eq('select external_id from public.vapi_routes order by 1', $$ values ('asst-tenant-a'), ('phone-tenant-a') $$,
  'a staff member reads her own clinic''s routes');
select tests.clear_authentication();
select is((select count(*)::int from public.vapi_routes where external_id like '%tenant-c'), 2, 'C''s routes are untouched');
select table_privs_are('public', 'vapi_routes', 'authenticated', array['SELECT'], 'authenticated may only read routes');
select policies_are('public', 'vapi_routes', array['vapi_routes_select'], 'vapi_routes: a read policy only');

-- Resolving a call.
select is(public.resolve_booking_org('asst-tenant-a', 'phone-tenant-c'), '{"route_mismatch": true}'::jsonb,
  'assistant of A with phone number of C → route_mismatch, nothing else');
select is(public.resolve_booking_org('asst-tenant-c', 'phone-tenant-a'), '{"route_mismatch": true}'::jsonb, '… either way round');
select is(public.resolve_booking_org('asst-tenant-c', 'phone-tenant-c') ->> 'org_id', :'org_c', 'both ids of C → C');
select is(public.resolve_booking_org(null, 'phone-tenant-c') ->> 'org_id', :'org_c', 'a phone-number id alone routes');
select is(public.resolve_booking_org('asst-tenant-a', 'unknown-phone') ->> 'org_id', :'org_a', 'an unknown phone-number id does not block a known assistant');
select is(public.resolve_booking_org('nobody', 'nothing'), null, 'nothing routed → null');
select is(public.resolve_booking_org(null, null, :'org_c') ->> 'org_id', :'org_c', 'a trusted direct caller names its clinic');
select is(public.resolve_booking_org('asst-tenant-a') -> 'booking_horizon_days', '365'::jsonb, 'the reply carries the booking horizon');
delete from public.organization_business_hours where org_id = :'org_a' and weekday <> 1;
insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at) values (:'org_a', 5, '22:00', '02:00');
select is(public.resolve_booking_org('asst-tenant-a') -> 'business_hours',
  '[{"weekday": 1, "opens_at": "06:00", "closes_at": "20:00"}, {"weekday": 5, "opens_at": "22:00", "closes_at": "02:00"}]'::jsonb,
  'the reply carries the business hours (ISO weekday, HH:MM; a window may close the next day)');

-- 8. Clinics are created and edited by service_role and by their admins.
set local role service_role;
select lives_ok($$ insert into public.organizations (name, timezone, default_country) values ('Made By Service', 'Asia/Tokyo', 'JP') $$,
  'service_role creates a clinic (the time-zone CHECK is executable by it)');
select lives_ok($$ update public.organizations set timezone = 'Europe/Paris' where name = 'Made By Service' $$, 'service_role edits a clinic''s time zone');
select throws_ok($$ insert into public.organizations (name, timezone) values ('Bad Zone', 'Mars/Olympus') $$, '23514', null,
  '… and the CHECK still refuses an unknown zone');
reset role;
select is((select timezone from public.organizations where name = 'Made By Service'), 'Europe/Paris', 'the service role''s edit is stored');

select tests.authenticate_as(:'admin_a');
select lives_ok(format($$ update public.organizations set timezone = 'America/Chicago', name = 'Tenant A Renamed' where id = %L $$, :'org_a'),
  'an admin edits her own clinic, time zone included');
update public.organizations set name = 'Captured' where id = :'org_c';
select throws_ok(format($$ update public.organizations set timezone = 'Nowhere/Land' where id = %L $$, :'org_a'), '23514', null,
  'an admin''s bad time zone is refused by the CHECK, not by a permission error');
select tests.clear_authentication();
select is((select timezone || ' ' || name from public.organizations where id = :'org_a'), 'America/Chicago Tenant A Renamed', 'the admin''s edit is stored');
select is((select name from public.organizations where id = :'org_c'), 'Tenant C', 'an admin cannot edit another clinic');
select tests.authenticate_as(:'staff_a');
update public.organizations set name = 'Staff Was Here' where id = :'org_a';
select tests.clear_authentication();
select is((select name from public.organizations where id = :'org_a'), 'Tenant A Renamed', 'a staff member cannot edit the clinic');
select tests.authenticate_as(:'admin_c');
select lives_ok(format($$ update public.organizations set booking_horizon_days = 90 where id = %L $$, :'org_c'), 'an owner sets her clinic''s booking horizon');
select tests.clear_authentication();

-- 9. Finite times, for every writer.
insert into public.leads (org_id, name, phone) values (:'org_c', 'Inf Inity', '+447700900999') returning id as lead_c \gset
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
  values (%L, %L, 'checkup', 'infinity', 'infinity', 30) $$, :'org_c', :'lead_c'), '23514', null,
  'an appointment at infinity is refused (its empty range would escape the exclusion constraint)');
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
  values (%L, %L, 'checkup', '-infinity', '-infinity', 30) $$, :'org_c', :'lead_c'), '23514', null, '… and at -infinity');
select tests.authenticate_as(:'admin_c');
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
  values (%L, %L, 'checkup', 'infinity', 'infinity', 30) $$, :'org_c', :'lead_c'), '23514', null, '… also for staff under RLS');
select tests.clear_authentication();

-- 9. The booking horizon: C takes bookings 90 days ahead (set above).
select public.book_appointment_atomic(:'org_c', 'Far Future', null, '+447700900998', 'checkup', tests.local_slot(:'org_c', 91, '10:00'), 30) as far \gset
select is(:'far'::jsonb - 'message', jsonb_build_object('success', false, 'error', 'BEYOND_HORIZON',
    'latest_date', to_char(tests.local_date(:'org_c', 90), 'YYYY-MM-DD')),
  'a start after the horizon → BEYOND_HORIZON with the furthest bookable local date');
select ok((public.book_appointment_atomic(:'org_c', 'Near Enough', null, '+447700900997', 'checkup', tests.local_slot(:'org_c', 90, '10:00'), 30) ->> 'success')::boolean,
  'the last day of the horizon books');
select is(public.book_appointment_atomic(:'org_c', 'Year Far', null, '+447700900996', 'checkup', '294276-12-31 10:00Z', 30) ->> 'error', 'BEYOND_HORIZON',
  'the year 294276 is beyond the horizon');

select * from finish();
rollback;
