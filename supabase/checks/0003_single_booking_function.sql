-- title: one booking function
-- Exactly one public book_appointment% function: the canonical signature returning jsonb (the
-- classic seven arguments, the optional idempotency key, the optional practitioner). This file
-- is the one place the signature is written outside the migrations; the pgTAP suite asserts
-- this check, and tests that need the signature read it from here.
with canonical as (
  select pg_catalog.to_regprocedure('public.book_appointment_atomic(uuid,text,text,text,text,timestamptz,integer,text,uuid)') as oid
),
found as (
  select pg_catalog.format('%I.%I(%s) returns %s', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes),
                           pg_catalog.format_type(p.prorettype, null)) as signature,
         (p.oid = canonical.oid and p.prorettype = 'jsonb'::pg_catalog.regtype) as is_canonical
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  cross join canonical
  where n.nspname = 'public' and p.proname like 'book\_appointment%'
)
select 'single_booking_function'::text as key,
       (pg_catalog.count(*) = 1 and pg_catalog.bool_and(is_canonical)) is true as ok,
       pg_catalog.count(*)::integer as count,
       case
         when pg_catalog.count(*) = 1 and pg_catalog.bool_and(is_canonical) then 'only ' || pg_catalog.min(signature)
         when pg_catalog.count(*) = 0 then 'no book_appointment% function in public'
         else pg_catalog.format('%s function(s); %s', pg_catalog.count(*),
                case when pg_catalog.bool_or(is_canonical) then 'canonical present'
                     else 'canonical (uuid,text,text,text,text,timestamptz,integer,text,uuid) returns jsonb MISSING' end)
              || coalesce('; unexpected: ' || pg_catalog.string_agg(signature, ', ' order by signature) filter (where not is_canonical), '')
       end as detail
from found
