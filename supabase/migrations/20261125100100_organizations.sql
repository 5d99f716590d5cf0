-- Clinics (tenants) and their weekly business hours.
create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 200),
  timezone text not null check (private.is_iana_time_zone(timezone)),
  default_country text not null default 'US' check (default_country ~ '^[A-Z]{2}$'),
  default_duration_minutes integer not null default 30 check (default_duration_minutes between 5 and 480),
  slot_step_minutes integer not null default 15 check (slot_step_minutes in (5, 10, 15, 20, 30, 60)),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on column public.organizations.timezone is 'IANA time zone: bookings, business hours and spoken dates are local to it';
comment on column public.organizations.default_country is 'ISO 3166-1 alpha-2 country used to read national phone numbers';

create trigger organizations_touch_updated_at
  before update on public.organizations
  for each row execute function private.touch_updated_at();

-- ISO weekday (1 = Monday … 7 = Sunday); several windows a day allow a lunch break.
create table public.organization_business_hours (
  org_id uuid not null references public.organizations (id) on delete cascade,
  weekday smallint not null check (weekday between 1 and 7),
  opens_at time not null,
  closes_at time not null,
  primary key (org_id, weekday, opens_at),
  check (closes_at > opens_at)
);
