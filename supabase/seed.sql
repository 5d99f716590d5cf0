-- Three demo clinics in different time zones, with Vapi routes and business hours; the third
-- (Riverside Physio) has practitioners and a service catalogue.
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

-- Riverside Physio (Chicago): three practitioners, a catalogue with buffers and aliases.
-- Weekdays 08:00–18:00, Saturday 09:00–13:00; Sam Ortiz works Monday–Thursday 10:00–18:00 only;
-- sports massage is Jordan Kim's alone. Bookings need 60 minutes' notice.
insert into public.organizations (id, name, timezone, default_country, default_duration_minutes, min_notice_minutes)
values ('c0000000-0000-0000-0000-000000000003', 'Riverside Physio', 'America/Chicago', 'US', 30, 60)
on conflict (id) do nothing;

insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at)
select 'c0000000-0000-0000-0000-000000000003'::uuid, d::smallint, time '08:00', time '18:00'
from generate_series(1, 5) as g(d)
union all
select 'c0000000-0000-0000-0000-000000000003'::uuid, 6::smallint, time '09:00', time '13:00'
on conflict do nothing;

insert into public.practitioners (id, org_id, name, kind)
values
  ('c1000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000003', 'Dr. Maya Lee', 'person'),
  ('c1000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000003', 'Sam Ortiz', 'person'),
  ('c1000000-0000-0000-0000-000000000003', 'c0000000-0000-0000-0000-000000000003', 'Jordan Kim', 'person')
on conflict (id) do nothing;

insert into public.practitioner_hours (org_id, practitioner_id, weekday, opens_at, closes_at)
select 'c0000000-0000-0000-0000-000000000003'::uuid, 'c1000000-0000-0000-0000-000000000002'::uuid, d::smallint, time '10:00', time '18:00'
from generate_series(1, 4) as g(d)
on conflict do nothing;

insert into public.services (id, org_id, name, aliases, duration_minutes, buffer_before_minutes, buffer_after_minutes)
values
  ('c2000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000003', 'assessment',
   '{initial assessment,first visit,evaluation}', 45, 0, 15),
  ('c2000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000003', 'follow-up',
   '{follow up,followup,review}', 30, 0, 0),
  ('c2000000-0000-0000-0000-000000000003', 'c0000000-0000-0000-0000-000000000003', 'sports massage',
   '{massage,deep tissue massage}', 60, 0, 10)
on conflict (id) do nothing;

insert into public.service_practitioners (org_id, service_id, practitioner_id)
values ('c0000000-0000-0000-0000-000000000003', 'c2000000-0000-0000-0000-000000000003', 'c1000000-0000-0000-0000-000000000003')
on conflict do nothing;

insert into public.vapi_routes (org_id, kind, external_id)
values
  ('c0000000-0000-0000-0000-000000000003', 'assistant', 'demo-assistant-riverside'),
  ('c0000000-0000-0000-0000-000000000003', 'phone_number', 'demo-phone-riverside')
on conflict (kind, external_id) do nothing;
