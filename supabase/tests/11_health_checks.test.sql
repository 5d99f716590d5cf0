-- The audit's health checks (supabase/checks), one SQL file each as supabase/splinter keeps
-- lints: each passes on the migrated schema and fails on the breakage it exists to find.
-- Every breakage is planted inside a savepoint and rolled back before the next.
begin;
\ir fixtures/helpers.psql
\ir fixtures/health-checks.psql
select plan(24);

select is(:check_files_listed, :check_files_present, 'fixtures/health-checks.psql loads every file of supabase/checks');
select set_config('checks.migration_versions', :'migration_versions', true) is not null as versions_set \gset

-- A clinic with real bookings, so the row checks look at rows.
select tests.create_org('Checked Clinic') as org \gset
select public.book_appointment_atomic(:'org', 'ann lee', 'ann@example.com', '+15550800001', 'checkup', tests.local_slot(:'org', 3, '10:00'), 30) as booked \gset
select public.book_appointment_atomic(:'org', 'bo chen', null, '+15550800002', 'checkup', tests.local_slot(:'org', 3, '11:00'), 30) \gset

-- 1. Healthy: every check passes.
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_no_overlapping_appointments');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_leads_normalized');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_single_booking_function');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_rls_enabled');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_booking_function_grants');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_migrations_applied');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_exclusion_constraint');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_one_active_per_reschedule_chain');
select ok(ok, key || ': ' || detail) from tests.health_check(:'check_booking_events_have_appointments');

-- 2. Each breakage is found by its check. Each is planted in a savepoint and rolled back; the
--    verdicts are kept in psql variables and asserted after the rollback (pgTAP's own
--    bookkeeping would be rolled back with a savepoint too).
savepoint overlap;
alter table public.appointments drop constraint appointments_no_overlap;
insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
select org_id, lead_id, 'checkup', scheduled_at + interval '10 minutes', ends_at + interval '10 minutes', duration_minutes
from public.appointments where id = (:'booked'::jsonb ->> 'appointment_id')::uuid;
select ok as overlap_ok, count as overlap_count from tests.health_check(:'check_no_overlapping_appointments') \gset
select detail as constraint_detail from tests.health_check(:'check_exclusion_constraint') \gset
rollback to savepoint overlap;

-- Buffers count: a row that only touches another but sits inside its buffer is an overlap.
savepoint buffers;
alter table public.appointments drop constraint appointments_no_overlap;
update public.appointments set buffer_after_minutes = 15 where id = (:'booked'::jsonb ->> 'appointment_id')::uuid;
insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes)
select org_id, lead_id, 'checkup', ends_at, ends_at + interval '30 minutes', 30
from public.appointments where id = (:'booked'::jsonb ->> 'appointment_id')::uuid;
select ok as buffer_ok, count as buffer_count from tests.health_check(:'check_no_overlapping_appointments') \gset
rollback to savepoint buffers;

-- Two practitioners at the same time are not an overlap.
savepoint calendars;
insert into public.practitioners (org_id, name) values (:'org', 'Pat One') returning id as pat \gset
alter table public.appointments drop constraint appointments_no_overlap;
insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, practitioner_id)
select org_id, lead_id, 'checkup', scheduled_at, ends_at, duration_minutes, :'pat'
from public.appointments where id = (:'booked'::jsonb ->> 'appointment_id')::uuid;
select ok as calendars_ok from tests.health_check(:'check_no_overlapping_appointments') \gset
select detail as calendar_constraint_detail from tests.health_check(:'check_exclusion_constraint') \gset
rollback to savepoint calendars;

-- A reschedule chain with two active appointments (the unique index dropped, the status left).
savepoint chain;
drop index public.appointments_rescheduled_from_key;
insert into public.appointments (org_id, lead_id, service_type, scheduled_at, ends_at, duration_minutes, rescheduled_from)
select org_id, lead_id, 'checkup', scheduled_at + interval '1 day', ends_at + interval '1 day', duration_minutes, id
from public.appointments where id = (:'booked'::jsonb ->> 'appointment_id')::uuid;
select ok as chain_ok, count as chain_count, detail as chain_detail from tests.health_check(:'check_one_active_per_reschedule_chain') \gset
rollback to savepoint chain;

-- An event whose appointment is gone (the foreign key dropped), and a cancelled event of an active one.
savepoint orphan_event;
alter table public.booking_events drop constraint booking_events_appointment_fkey;
delete from public.appointments where id = (:'booked'::jsonb ->> 'appointment_id')::uuid;
insert into public.booking_events (org_id, appointment_id, kind)
select org_id, id, 'cancelled' from public.appointments where org_id = :'org' limit 1;
select ok as events_ok, count as events_count, detail as events_detail from tests.health_check(:'check_booking_events_have_appointments') \gset
rollback to savepoint orphan_event;

savepoint bad_leads;
alter table public.leads drop constraint leads_name_check, drop constraint leads_phone_e164_check, drop constraint leads_status_check,
  drop constraint leads_name_visible_check, drop constraint leads_phone_nanp_check;
insert into public.leads (org_id, name, phone, status) values
  (:'org', 'jOHN o''brien', '+15550800010', 'pending'),
  (:'org', 'Mary Major', '555-080-0011', 'imported');
select ok as leads_ok, count as leads_count, detail as leads_detail from tests.health_check(:'check_leads_normalized') \gset
rollback to savepoint bad_leads;

savepoint legacy;
create function public.book_appointment_atomic_v2(p_org_id uuid) returns json language sql as $$ select '{}'::json $$;
select ok as legacy_ok, detail as legacy_detail from tests.health_check(:'check_single_booking_function') \gset
select detail as legacy_grants_detail from tests.health_check(:'check_booking_function_grants') \gset
rollback to savepoint legacy;

savepoint granted;
grant execute on function public.book_appointment_atomic to anon;
select ok as granted_ok, count as granted_count from tests.health_check(:'check_booking_function_grants') \gset
rollback to savepoint granted;

savepoint rls_off;
alter table public.leads disable row level security;
select detail as rls_detail from tests.health_check(:'check_rls_enabled') \gset
rollback to savepoint rls_off;

savepoint unrecorded;
delete from supabase_migrations.schema_migrations where version = (select min(version) from supabase_migrations.schema_migrations);
select ok as migrations_ok, detail as migrations_detail from tests.health_check(:'check_migrations_applied') \gset
rollback to savepoint unrecorded;

savepoint scoped;
select set_config('checks.org_ids', format('{%s}', tests.create_org('Empty Clinic')), true) is not null as scoped \gset
select detail as scoped_detail from tests.health_check(:'check_leads_normalized') \gset
rollback to savepoint scoped;

select is(array[:'overlap_ok', :'overlap_count']::text[], array['f', '1'], 'an overlap written past a dropped constraint is counted');
select is(:'constraint_detail'::text, 'appointments_no_overlap is missing', 'the dropped constraint is named');
select is(array[:'buffer_ok', :'buffer_count']::text[], array['f', '1'], 'a row inside another''s buffer is counted as an overlap');
select is(:'calendars_ok'::text, 't', 'two practitioners at the same time are not');
select is(:'calendar_constraint_detail'::text, 'appointments_no_overlap is missing', 'the dropped per-calendar constraint is named');
select is(array[:'chain_ok', :'chain_count']::text[], array['f', '1'], 'two active appointments in one chain are found: ' || :'chain_detail');
select is(array[:'events_ok', :'events_count', :'events_detail']::text[],
  array['f', '2', '1 of 3 event(s) without their appointment, 1 of a kind the appointment contradicts'], 'an orphaned event and a contradicting one are counted');
select is(array[:'leads_ok', :'leads_count', :'leads_detail']::text[],
  array['f', '2', '2 of 4 lead(s) break the normalization rules (name 1, phone 1, status 1)'], 'badly normalized leads are counted per rule');
select is(:'legacy_ok'::text, 'f', 'a _v2 is found: ' || :'legacy_detail');
select ok(:'legacy_grants_detail' like '%anon can execute book_appointment_atomic_v2(uuid)%', 'and the default privileges it got are found');
select is(array[:'granted_ok', :'granted_count']::text[], array['f', '1'], 'a grant to anon is found');
select is(:'rls_detail'::text, 'leads: RLS off', 'RLS switched off is named');
select ok(:'migrations_ok' = 'f' and :'migrations_detail' like 'missing: %', 'a migration not recorded is named: ' || :'migrations_detail');
select is(:'scoped_detail'::text, '0 of 0 lead(s) break the normalization rules', 'checks.org_ids scopes the row checks to some clinics');

select * from finish();
rollback;
