-- Exactly one booking function, also when an older deployment left `_v2` and overloads behind.
begin;
\ir fixtures/helpers.psql
select plan(6);

select is((select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname like 'book\_appointment%'), 1, 'exactly one book_appointment% function');
select function_returns('public', 'book_appointment_atomic',
  array['uuid', 'text', 'text', 'text', 'text', 'timestamp with time zone', 'integer', 'text'], 'jsonb', 'the canonical signature returns jsonb');
select is((select pronargdefaults::int from pg_proc where oid = 'public.book_appointment_atomic(uuid,text,text,text,text,timestamptz,integer,text)'::regprocedure),
  1, 'only the idempotency key is optional, so the classic 7-argument call resolves to it');

-- Legacy leftovers as an earlier iteration deployed them.
create function public.book_appointment_atomic_v2(p_org_id uuid, p_name text) returns json language sql as $$ select '{}'::json $$;
create function public.book_appointment_atomic(p_org_id uuid, p_name text, p_email text, p_phone text, p_service_type text, p_scheduled_at timestamptz, p_duration_minutes integer)
  returns json language sql as $$ select '{}'::json $$;
select is((select count(*)::int from pg_proc where proname like 'book\_appointment%'), 3, 'legacy functions planted');

-- The migration that removes them, exactly as `supabase db push` runs it.
\ir ../migrations/20261125100700_drop_legacy_booking_functions.sql
select is((select array_agg(p.oid::regprocedure::text) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname like 'book\_appointment%'),
  array['book_appointment_atomic(uuid,text,text,text,text,timestamp with time zone,integer,text)'], 'only the canonical function is left');
select ok((public.book_appointment_atomic(tests.create_org('After Cleanup'), 'ann', null, '+15550400001', 'checkup',
  date_trunc('day', now()) + interval '20 days 12 hours', 30) ->> 'success')::boolean, 'the classic positional call resolves and books');

select * from finish();
rollback;
