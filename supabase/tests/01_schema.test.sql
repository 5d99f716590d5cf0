-- Tables, columns, constraints and indexes of the booking schema.
begin;
\ir fixtures/helpers.psql
select plan(32);

select has_table('public', 'organizations', 'organizations exists');
select has_table('public', 'organization_business_hours', 'business hours exist');
select has_table('public', 'organization_members', 'organization_members exists');
select has_table('public', 'vapi_routes', 'vapi_routes exists');
select has_table('public', 'leads', 'leads exists');
select has_table('public', 'appointments', 'appointments exists');
select hasnt_table('public', 'contacts', 'contacts live in leads: there is no contacts table');

select columns_are('public', 'leads',
  array['id', 'org_id', 'name', 'email', 'phone', 'status', 'created_at', 'updated_at'], 'leads columns');
select columns_are('public', 'appointments',
  array['id', 'org_id', 'lead_id', 'service_type', 'scheduled_at', 'ends_at', 'duration_minutes', 'status',
        'is_active', 'idempotency_key', 'created_at', 'updated_at', 'attendee_name', 'attendee_email',
        'practitioner_id', 'calendar_id', 'buffer_before_minutes', 'buffer_after_minutes', 'blocked_from', 'blocked_until',
        'rescheduled_from'], 'appointments columns');
select col_type_is('public', 'appointments', 'scheduled_at', 'timestamp with time zone', 'scheduled_at is timestamptz');

-- btree_gist lives in `extensions`, not public (advisor lint 0014).
select is((select n.nspname::text from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'btree_gist'),
  'extensions', 'btree_gist is installed in schema extensions');

-- The exclusion constraint: gist over (org_id, calendar, blocked range incl. buffers) for active rows only.
select is((select contype::text from pg_constraint where conname = 'appointments_no_overlap'), 'x', 'appointments_no_overlap is an exclusion constraint');
select matches((select pg_get_constraintdef(oid) from pg_constraint where conname = 'appointments_no_overlap'),
  'EXCLUDE USING gist \(org_id WITH =, calendar_id WITH =, tstzrange\(blocked_from, blocked_until, ''\[\)''::text\) WITH &&\) WHERE \(is_active\)',
  'exclusion covers org_id, the calendar and [blocked_from, blocked_until) of active rows');
select ok((select convalidated from pg_constraint where conname = 'appointments_no_overlap'), 'exclusion constraint is valid');
select has_index('public', 'appointments', 'appointments_org_idempotency_key', 'idempotency key unique per org');
select has_index('public', 'leads', 'leads_org_phone_key', 'one lead per phone per org');
select has_index('public', 'organization_members', 'organization_members_user_id_idx', 'memberships indexed by user for RLS');

-- leads constraints
select col_has_check('public', 'leads', 'status', 'leads.status has a check constraint');
select lives_ok($$ insert into public.leads (org_id, name, phone) values (tests.create_org('S1'), 'Ann Lee', '+15550001111') $$,
  'a lead without a status is accepted');
select lives_ok($$ insert into public.leads (org_id, name, phone, status) values (tests.create_org('S1b'), 'Bo Pending', '+15550001112', 'pending') $$,
  'status pending is allowed');
select throws_ok($$ insert into public.leads (org_id, name, phone, status) values (tests.create_org('S2'), 'Ann Lee', '+15550001111', 'bogus') $$,
  '23514', null, 'an unknown lead status is rejected');
select throws_ok($$ insert into public.leads (org_id, name, phone) values (tests.create_org('S3'), 'Ann Lee', '555-000-1111') $$,
  '23514', null, 'a non-E.164 phone is rejected by constraint');
select throws_ok($$ insert into public.leads (org_id, name, phone, email) values (tests.create_org('S4'), 'Ann Lee', '+15550001111', 'Ann@Example.com') $$,
  '23514', null, 'an email that is not lowercase is rejected by constraint');
select is((select status from public.leads where name = 'Ann Lee' limit 1), 'pending', 'new leads default to pending');

-- organizations constraints
select throws_ok($$ insert into public.organizations (name, timezone) values ('Bad TZ', 'Mars/Olympus') $$,
  '23514', null, 'an unknown IANA time zone is rejected');
select throws_ok($$ insert into public.organizations (name, timezone, default_country) values ('Bad C', 'UTC', 'usa') $$,
  '23514', null, 'default_country must be ISO alpha-2');

-- appointments constraints
select tests.create_org('Overlap Clinic') as org_id \gset
insert into public.leads (org_id, name, phone) values (:'org_id', 'Bo Bo', '+15550002222') returning id as lead_id \gset
select tests.create_org('Other Clinic') as other_org_id \gset
insert into public.leads (org_id, name, phone) values (:'other_org_id', 'Cy Cy', '+15550003333') returning id as other_lead_id \gset

insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
values (:'org_id', :'lead_id', 'checkup', '2030-01-07 11:00Z', '2030-01-07 12:00Z', 60);
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
  values (%L, %L, 'checkup', '2030-01-07 11:30Z', '2030-01-07 12:30Z', 60) $$, :'org_id', :'lead_id'),
  '23P01', null, 'an overlapping active appointment of the same org is rejected by the constraint');
select lives_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
  values (%L, %L, 'checkup', '2030-01-07 12:00Z', '2030-01-07 13:00Z', 60) $$, :'org_id', :'lead_id'),
  'back-to-back appointments ([) ranges) are allowed');
select lives_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
  values (%L, %L, 'checkup', '2030-01-07 11:00Z', '2030-01-07 12:00Z', 60) $$, :'other_org_id', :'other_lead_id'),
  'another org can hold the same time');
select lives_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, status)
  values (%L, %L, 'checkup', '2030-01-07 11:15Z', '2030-01-07 11:45Z', 30, 'cancelled') $$, :'org_id', :'lead_id'),
  'a cancelled appointment does not hold the slot');
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, attendee_name)
  values (%L, %L, 'checkup', '2030-02-07 11:00Z', '2030-02-07 12:00Z', 60, 'Cy Cy') $$, :'org_id', :'other_lead_id'),
  '23503', null, 'an appointment cannot point at another clinic''s lead');
select throws_ok(format($$ insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
  values (%L, %L, 'checkup', '2030-03-07 11:00Z', '2030-03-07 11:10Z', 60) $$, :'org_id', :'lead_id'),
  '23514', null, 'ends_at must equal scheduled_at + duration');

select * from finish();
rollback;
