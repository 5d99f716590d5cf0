-- Two demo clinics in different time zones, with Vapi routes and business hours.
-- Idempotent: the local stack applies it on every start.
insert into public.organizations (id, name, timezone, default_country, default_duration_minutes)
values
  ('a0000000-0000-0000-0000-000000000001', 'Sunrise Family Clinic', 'America/New_York', 'US', 30),
  ('b0000000-0000-0000-0000-000000000002', 'Harbour Dental London', 'Europe/London', 'GB', 30)
on conflict (id) do nothing;

-- Sunrise: every day 06:00–20:00 New York time (the classic release scenario books 11:00 UTC, 06:00 or 07:00 local).
-- Harbour: weekdays 08:00–12:30 and 13:30–18:00 (lunch break), Saturday morning.
insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at)
select 'a0000000-0000-0000-0000-000000000001'::uuid, d::smallint, time '06:00', time '20:00'
from generate_series(1, 7) as g(d)
union all
select 'b0000000-0000-0000-0000-000000000002'::uuid, d::smallint, w.opens, w.closes
from generate_series(1, 5) as g(d)
cross join (values (time '08:00', time '12:30'), (time '13:30', time '18:00')) as w(opens, closes)
union all
select 'b0000000-0000-0000-0000-000000000002'::uuid, 6::smallint, time '09:00', time '13:00'
on conflict do nothing;

insert into public.vapi_routes (org_id, kind, external_id)
values
  ('a0000000-0000-0000-0000-000000000001', 'assistant', 'demo-assistant-sunrise'),
  ('a0000000-0000-0000-0000-000000000001', 'phone_number', 'demo-phone-sunrise'),
  ('b0000000-0000-0000-0000-000000000002', 'assistant', 'demo-assistant-harbour'),
  ('b0000000-0000-0000-0000-000000000002', 'phone_number', 'demo-phone-harbour')
on conflict (kind, external_id) do nothing;
