-- A business-hours window may cross midnight: closes_at <= opens_at closes on the NEXT day
-- (opens_at = closes_at is a 24-hour window). A 24-hour clinic is seven 00:00–00:00 windows;
-- adjacent windows join, so 23:30 + 60 min fits (see private.open_hours).
alter table public.organization_business_hours drop constraint organization_business_hours_check;
comment on column public.organization_business_hours.closes_at is
  'Local closing time; closes_at <= opens_at means the window closes on the next day (equal: 24 hours)';
