-- Closures: a holiday of the whole clinic (practitioner_id null) or a practitioner's time off.
-- Bookings are refused inside them (CLINIC_CLOSED, or SLOT_UNAVAILABLE for a practitioner) and
-- no free start is offered in them.
create table public.closures (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  practitioner_id uuid,
  during tstzrange not null,
  reason text constraint closures_reason_check check (char_length(reason) between 1 and 200),
  created_at timestamptz not null default now(),
  -- An infinite or empty range would silently close nothing (or everything): refused.
  constraint closures_during_check check (not isempty(during) and isfinite(lower(during)) and isfinite(upper(during))),
  constraint closures_practitioner_fkey foreign key (org_id, practitioner_id)
    references public.practitioners (org_id, id) on delete cascade
);
create index closures_org_during_idx on public.closures using gist (org_id, during);
create index closures_org_practitioner_idx on public.closures (org_id, practitioner_id);

revoke all on table public.closures from anon, authenticated;
grant select, insert, update, delete on public.closures to authenticated, service_role;

alter table public.closures enable row level security;
create policy closures_select on public.closures
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy closures_insert on public.closures
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy closures_update on public.closures
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy closures_delete on public.closures
  for delete to authenticated using (org_id in (select private.admin_org_ids()));
