-- Practitioners (people or rooms) of a clinic, each with their own weekly hours. A clinic
-- without active practitioners is one calendar, exactly as before (docs/receptionist-calls.md).
create table public.practitioners (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  name text not null constraint practitioners_name_check check (char_length(name) between 1 and 100 and name = btrim(name)),
  kind text not null default 'person' constraint practitioners_kind_check check (kind in ('person', 'room')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Composite foreign keys (org_id, practitioner_id) elsewhere: a row can only ever point at a
  -- practitioner of its own clinic, whoever writes it.
  constraint practitioners_org_id_id_key unique (org_id, id)
);
create unique index practitioners_org_name_key on public.practitioners (org_id, pg_catalog.lower(name));

create trigger practitioners_touch_updated_at
  before update on public.practitioners
  for each row execute function private.touch_updated_at();

-- Same meaning as organization_business_hours (a window whose closes_at <= opens_at closes the
-- next day). A practitioner with no rows works the clinic's hours.
create table public.practitioner_hours (
  org_id uuid not null,
  practitioner_id uuid not null,
  weekday smallint not null constraint practitioner_hours_weekday_check check (weekday between 1 and 7),
  opens_at time not null,
  closes_at time not null,
  primary key (org_id, practitioner_id, weekday, opens_at),
  constraint practitioner_hours_practitioner_fkey foreign key (org_id, practitioner_id)
    references public.practitioners (org_id, id) on delete cascade
);
comment on column public.practitioner_hours.closes_at is
  'Local closing time; closes_at <= opens_at means the window closes on the next day (equal: 24 hours)';

revoke all on table public.practitioners, public.practitioner_hours from anon, authenticated;
grant select, insert, update, delete on public.practitioners, public.practitioner_hours to authenticated;
grant select, insert, update, delete on public.practitioners, public.practitioner_hours to service_role;

alter table public.practitioners enable row level security;
alter table public.practitioner_hours enable row level security;

-- Members read; admins (and owners) edit. The composite foreign keys keep an admin from
-- attaching hours to another clinic's practitioner.
create policy practitioners_select on public.practitioners
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy practitioners_insert on public.practitioners
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy practitioners_update on public.practitioners
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy practitioners_delete on public.practitioners
  for delete to authenticated using (org_id in (select private.admin_org_ids()));

create policy practitioner_hours_select on public.practitioner_hours
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy practitioner_hours_insert on public.practitioner_hours
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy practitioner_hours_update on public.practitioner_hours
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy practitioner_hours_delete on public.practitioner_hours
  for delete to authenticated using (org_id in (select private.admin_org_ids()));
