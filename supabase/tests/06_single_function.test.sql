-- Exactly one booking function, also when an older deployment left `_v2` and overloads behind.
begin;
\ir fixtures/helpers.psql
select plan(5);

-- The rule itself (the canonical signature, returning jsonb, alone) is the audit's check.
\ir fixtures/health-checks.psql
select ok(ok, detail) from tests.health_check(:'check_single_booking_function');

-- Legacy leftovers as an earlier iteration deployed them.
create function public.book_appointment_atomic_v2(p_org_id uuid, p_name text) returns json language sql as $$ select '{}'::json $$;
create function public.book_appointment_atomic(p_org_id uuid, p_name text, p_email text, p_phone text, p_service_type text, p_scheduled_at timestamptz, p_duration_minutes integer)
  returns json language sql as $$ select '{}'::json $$;
select is((select count(*)::int from pg_proc where proname like 'book\_appointment%'), 3, 'legacy functions planted');
select ok(not ok, 'the check sees them: ' || detail) from tests.health_check(:'check_single_booking_function');

-- The migration that now removes them (it drops every book_appointment% function and creates
-- the one with the practitioner), exactly as `supabase db push` runs it.
\ir ../migrations/20261202130700_book_appointment_atomic_practitioners.sql
select ok(ok, 'after the migration: ' || detail) from tests.health_check(:'check_single_booking_function');
select tests.create_org('After Cleanup') as org \gset
select ok((public.book_appointment_atomic(:'org', 'ann', null, '+15550400001', 'checkup',
  tests.local_slot(:'org', 20, '12:00'), 30) ->> 'success')::boolean, 'the classic positional call resolves and books');

select * from finish();
rollback;
