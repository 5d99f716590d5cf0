-- The clinic's service catalogue: what the caller asks for (name or alias), how long it takes,
-- the gaps it needs before and after (part of the no-overlap rule), and who offers it. A clinic
-- with no active service takes any service type, as before.

-- How a spoken service is matched: lowercase, single-spaced, trimmed (what book_appointment_atomic
-- does to p_service_type). Names and aliases are stored in this form, so lookup is equality.
create or replace function private.normalize_label(p_text text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(p_text), '[[:space:]]+', ' ', 'g'))
$$;

-- A service label the booking function accepts as p_service_type, in normalized form.
create or replace function private.is_service_label(p_text text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select p_text = private.normalize_label(p_text)
     and pg_catalog.char_length(p_text) between 1 and 64
     and p_text ~ '^[[:alnum:]][[:alnum:] _/&-]*$'
$$;

create or replace function private.are_service_labels(p_labels text[])
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(pg_catalog.bool_and(private.is_service_label(l)), true) from pg_catalog.unnest(p_labels) as u(l)
$$;

revoke all on function private.normalize_label(text), private.is_service_label(text), private.are_service_labels(text[]) from public;
-- Table CHECKs call them for whoever writes (admins through the API, the service role).
grant execute on function private.normalize_label(text), private.is_service_label(text), private.are_service_labels(text[])
  to authenticated, service_role;

create table public.services (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  name text not null constraint services_name_check check (private.is_service_label(name)),
  aliases text[] not null default '{}' constraint services_aliases_check
    check (private.are_service_labels(aliases) and cardinality(aliases) <= 20),
  duration_minutes integer not null constraint services_duration_minutes_check check (duration_minutes between 5 and 480),
  buffer_before_minutes integer not null default 0 constraint services_buffer_before_minutes_check check (buffer_before_minutes between 0 and 240),
  buffer_after_minutes integer not null default 0 constraint services_buffer_after_minutes_check check (buffer_after_minutes between 0 and 240),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint services_org_id_name_key unique (org_id, name),
  constraint services_org_id_id_key unique (org_id, id)
);
comment on column public.services.aliases is 'Other spoken names of the service, normalized (lowercase, single-spaced)';

create trigger services_touch_updated_at
  before update on public.services
  for each row execute function private.touch_updated_at();

-- Who offers a service. A service with no rows here is offered by every practitioner.
create table public.service_practitioners (
  org_id uuid not null,
  service_id uuid not null,
  practitioner_id uuid not null,
  primary key (service_id, practitioner_id),
  constraint service_practitioners_service_fkey foreign key (org_id, service_id)
    references public.services (org_id, id) on delete cascade,
  constraint service_practitioners_practitioner_fkey foreign key (org_id, practitioner_id)
    references public.practitioners (org_id, id) on delete cascade
);
create index service_practitioners_org_idx on public.service_practitioners (org_id, practitioner_id);
create index service_practitioners_org_service_idx on public.service_practitioners (org_id, service_id);

revoke all on table public.services, public.service_practitioners from anon, authenticated;
grant select, insert, update, delete on public.services, public.service_practitioners to authenticated, service_role;

alter table public.services enable row level security;
alter table public.service_practitioners enable row level security;

create policy services_select on public.services
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy services_insert on public.services
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy services_update on public.services
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy services_delete on public.services
  for delete to authenticated using (org_id in (select private.admin_org_ids()));

create policy service_practitioners_select on public.service_practitioners
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy service_practitioners_insert on public.service_practitioners
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy service_practitioners_update on public.service_practitioners
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy service_practitioners_delete on public.service_practitioners
  for delete to authenticated using (org_id in (select private.admin_org_ids()));
