-- Contacts (there is no `contacts` table). Stored normalized: Title Case name, lowercase
-- email, E.164 phone; one lead per phone per clinic.
create table public.leads (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100 and name = btrim(name)),
  email text check (email = lower(btrim(email)) and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' and char_length(email) <= 254),
  phone text not null constraint leads_phone_e164_check check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  status text not null default 'pending'
    constraint leads_status_check check (status in ('pending', 'contacted', 'qualified', 'converted', 'lost')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint leads_org_phone_key unique (org_id, phone),
  -- Lets appointments reference (org_id, id) so a booking can never point at another clinic's lead.
  constraint leads_org_id_id_key unique (org_id, id)
);

create trigger leads_touch_updated_at
  before update on public.leads
  for each row execute function private.touch_updated_at();
