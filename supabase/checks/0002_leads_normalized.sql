-- title: leads normalized
-- The rules book_appointment_atomic writes a lead by, checked on whatever is stored (staff
-- edits, imports, a constraint someone dropped), with the database's own contact helpers
-- (migration 20261202100400_contact_rules, the SQL copies of the endpoint's contact.ts and
-- phone.ts): the name is its own normalization (no control or invisible format characters,
-- single-spaced, trimmed, 1-100 characters with a letter, initcap); email absent or trimmed
-- lowercase and accepted by the endpoint's rule; E.164 phone, NANP-shaped under +1; a known
-- status. Counts per rule, never the data itself. Optional scope: checks.org_ids (a uuid[] literal).
with scope as (
  select nullif(pg_catalog.current_setting('checks.org_ids', true), '')::uuid[] as org_ids
),
checked as (
  select
    (l.name is not null and l.name = private.normalize_name(l.name)) is true as name_ok,
    (l.email is null or (l.email = pg_catalog.lower(pg_catalog.btrim(l.email)) and private.is_valid_email(l.email))) is true as email_ok,
    (l.phone ~ '^\+[1-9][0-9]{6,14}$' and (l.phone !~ '^\+1' or l.phone ~ '^\+1[2-9][0-9]{9}$')) is true as phone_ok,
    (l.status = any (array['pending', 'contacted', 'qualified', 'converted', 'lost'])) is true as status_ok
  from public.leads l
  cross join scope
  where scope.org_ids is null or l.org_id = any (scope.org_ids)
),
counted as (
  select pg_catalog.count(*) filter (where not (name_ok and email_ok and phone_ok and status_ok))::integer as bad,
         pg_catalog.count(*)::integer as total,
         pg_catalog.count(*) filter (where not name_ok)::integer as name,
         pg_catalog.count(*) filter (where not email_ok)::integer as email,
         pg_catalog.count(*) filter (where not phone_ok)::integer as phone,
         pg_catalog.count(*) filter (where not status_ok)::integer as status
  from checked
)
select 'leads_normalized'::text as key,
       c.bad = 0 as ok,
       c.bad as count,
       pg_catalog.format('%s of %s lead(s) break the normalization rules', c.bad, c.total)
         || coalesce(' (' || nullif(pg_catalog.concat_ws(', ',
              case when c.name > 0 then 'name ' || c.name end,
              case when c.email > 0 then 'email ' || c.email end,
              case when c.phone > 0 then 'phone ' || c.phone end,
              case when c.status > 0 then 'status ' || c.status end), '') || ')', '') as detail
from counted c
