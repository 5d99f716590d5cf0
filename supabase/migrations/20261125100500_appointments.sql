-- Appointments. The exclusion constraint is the last line of defence: whatever client writes,
-- two active appointments of one clinic can never overlap.
create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  lead_id uuid not null,
  service_type text not null check (char_length(service_type) between 1 and 64),
  scheduled_at timestamptz not null,
  ends_at timestamptz not null,
  duration_minutes integer not null check (duration_minutes between 5 and 480),
  status text not null default 'booked'
    constraint appointments_status_check check (status in ('booked', 'confirmed', 'completed', 'cancelled', 'no_show')),
  -- One definition of "holds the slot", used by the constraint and every query that must agree with it.
  is_active boolean generated always as (status in ('booked', 'confirmed')) stored,
  idempotency_key text check (char_length(idempotency_key) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint appointments_lead_fkey foreign key (org_id, lead_id) references public.leads (org_id, id) on delete restrict,
  constraint appointments_ends_at_check check (ends_at = scheduled_at + make_interval(mins => duration_minutes)),
  constraint appointments_org_idempotency_key unique (org_id, idempotency_key),
  constraint appointments_no_overlap exclude using gist (
    org_id with =,
    tstzrange(scheduled_at, ends_at, '[)') with &&
  ) where (is_active)
);

create index appointments_org_lead_idx on public.appointments (org_id, lead_id);

create trigger appointments_touch_updated_at
  before update on public.appointments
  for each row execute function private.touch_updated_at();
