-- RLS on every table in the exposed schema. anon has no policy (sees nothing); a member sees
-- and changes only rows of the clinics they belong to. Policies test `org_id in (select …)`
-- against helpers in `private` (not exposed) that take no row argument, so Postgres runs them
-- once per statement (a hashed subplan), not once per row.

-- The clinics of the signed-in user. security definer: reads memberships without recursing
-- into their own RLS policy.
create or replace function private.member_org_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.org_id from public.organization_members m where m.user_id = (select auth.uid())
$$;

create or replace function private.admin_org_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.org_id from public.organization_members m
  where m.user_id = (select auth.uid()) and m.role in ('owner', 'admin')
$$;

revoke all on function private.member_org_ids(), private.admin_org_ids() from public;
grant execute on function private.member_org_ids(), private.admin_org_ids() to authenticated;

alter table public.organizations enable row level security;
alter table public.organization_business_hours enable row level security;
alter table public.organization_members enable row level security;
alter table public.vapi_routes enable row level security;
alter table public.leads enable row level security;
alter table public.appointments enable row level security;

-- organizations: members read, admins edit.
create policy organizations_select on public.organizations
  for select to authenticated using (id in (select private.member_org_ids()));
create policy organizations_update on public.organizations
  for update to authenticated using (id in (select private.admin_org_ids())) with check (id in (select private.admin_org_ids()));

-- business hours: members read, admins edit.
create policy business_hours_select on public.organization_business_hours
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy business_hours_insert on public.organization_business_hours
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy business_hours_update on public.organization_business_hours
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy business_hours_delete on public.organization_business_hours
  for delete to authenticated using (org_id in (select private.admin_org_ids()));

-- memberships: members see who else is in their clinic; changes go through the service role.
create policy organization_members_select on public.organization_members
  for select to authenticated using (org_id in (select private.member_org_ids()));

-- Vapi routing: admins only (it decides which clinic a call books into).
create policy vapi_routes_select on public.vapi_routes
  for select to authenticated using (org_id in (select private.admin_org_ids()));
create policy vapi_routes_insert on public.vapi_routes
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy vapi_routes_update on public.vapi_routes
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy vapi_routes_delete on public.vapi_routes
  for delete to authenticated using (org_id in (select private.admin_org_ids()));

-- leads and appointments: any member of the clinic.
create policy leads_select on public.leads
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy leads_insert on public.leads
  for insert to authenticated with check (org_id in (select private.member_org_ids()));
create policy leads_update on public.leads
  for update to authenticated using (org_id in (select private.member_org_ids())) with check (org_id in (select private.member_org_ids()));
create policy leads_delete on public.leads
  for delete to authenticated using (org_id in (select private.member_org_ids()));

create policy appointments_select on public.appointments
  for select to authenticated using (org_id in (select private.member_org_ids()));
create policy appointments_insert on public.appointments
  for insert to authenticated with check (org_id in (select private.member_org_ids()));
create policy appointments_update on public.appointments
  for update to authenticated using (org_id in (select private.member_org_ids())) with check (org_id in (select private.member_org_ids()));
create policy appointments_delete on public.appointments
  for delete to authenticated using (org_id in (select private.member_org_ids()));
