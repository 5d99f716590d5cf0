-- Row level security: anon sees nothing, a member sees only their clinic, a member of
-- another clinic sees none of it and cannot write into it.
begin;
\ir fixtures/helpers.psql
select plan(22);

select tests.create_org('Clinic A') as org_a \gset
select tests.create_org('Clinic B', 'Europe/London', 'GB') as org_b \gset
select tests.create_user('alice@a.test') as alice \gset
select tests.create_user('bob@b.test') as bob \gset
select tests.create_user('nobody@x.test') as nobody \gset
select tests.add_member(:'org_a', :'alice', 'admin');
select tests.add_member(:'org_b', :'bob', 'staff');
select tests.add_route(:'org_a', 'assistant', 'asst-a');
select tests.add_route(:'org_b', 'assistant', 'asst-b');

-- One booking in each clinic, at the same time.
select public.book_appointment_atomic(:'org_a', 'ann a', null, '+15550100001', 'checkup', tests.local_slot(:'org_a', 3, '10:00'), 30);
select public.book_appointment_atomic(:'org_b', 'ben b', null, '+447700900001', 'checkup', tests.local_slot(:'org_b', 3, '10:00'), 30);

select is_empty($$
  select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'RLS is enabled on every table in public');
select policies_are('public', 'leads', array['leads_select', 'leads_insert', 'leads_update', 'leads_delete'], 'leads: one policy per operation');
select policies_are('public', 'appointments',
  array['appointments_select', 'appointments_insert', 'appointments_update', 'appointments_delete'], 'appointments: one policy per operation');
select policy_roles_are('public', 'leads', 'leads_select', array['authenticated'], 'leads policies apply to authenticated only');

-- anon
select tests.authenticate_as_anon();
select throws_ok('select count(*) from public.leads', '42501', null, 'anon cannot read leads at all');
select throws_ok('select count(*) from public.appointments', '42501', null, 'anon cannot read appointments at all');
select throws_ok('select count(*) from public.organizations', '42501', null, 'anon cannot read organizations');
select tests.clear_authentication();

-- a member of A
select tests.authenticate_as(:'alice');
select results_eq('select org_id from public.leads', format('values (%L::uuid)', :'org_a'), 'alice sees only her clinic''s lead');
select results_eq('select org_id from public.appointments', format('values (%L::uuid)', :'org_a'), 'alice sees only her clinic''s appointment');
select results_eq('select id from public.organizations', format('values (%L::uuid)', :'org_a'), 'alice sees only her clinic');
select is((select count(*)::int from public.vapi_routes), 1, 'an admin sees her clinic''s Vapi routes only');
select is((select count(*)::int from public.organization_members), 1, 'alice sees only memberships of her clinic');
select throws_ok(format($$ insert into public.leads (org_id, name, phone) values (%L, 'Eve Evil', '+15550999999') $$, :'org_b'),
  '42501', null, 'alice cannot insert a lead into clinic B');
update public.leads set name = 'Hacked' where org_id = :'org_b';
delete from public.appointments where org_id = :'org_b';
select lives_ok(format($$ insert into public.leads (org_id, name, phone) values (%L, 'Al Ok', '+15550888888') $$, :'org_a'),
  'alice can add a lead to her own clinic');
select tests.clear_authentication();
select is((select name from public.leads where org_id = :'org_b'), 'Ben B', 'alice''s update did not touch clinic B');
select is((select count(*)::int from public.appointments where org_id = :'org_b'), 1, 'alice''s delete did not touch clinic B');

-- a member of B sees none of A
select tests.authenticate_as(:'bob');
select is((select count(*)::int from public.leads where org_id = :'org_a'), 0, 'bob sees no lead of clinic A');
select is((select count(*)::int from public.appointments where org_id = :'org_a'), 0, 'bob sees no appointment of clinic A');
select results_eq('select external_id from public.vapi_routes', $$ values ('asst-b') $$, 'staff read their own clinic''s Vapi routes, and only those');
update public.organizations set name = 'Mine' where id = :'org_b';
select tests.clear_authentication();
select is((select name from public.organizations where id = :'org_b'), 'Clinic B', 'staff cannot edit their clinic settings');

-- a signed-in user of no clinic sees nothing
select tests.authenticate_as(:'nobody');
select is((select count(*)::int from public.leads), 0, 'a user of no clinic sees no leads');
select is((select count(*)::int from public.appointments), 0, 'a user of no clinic sees no appointments');
select tests.clear_authentication();

select * from finish();
rollback;
