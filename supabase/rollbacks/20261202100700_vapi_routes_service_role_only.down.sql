-- Reverts 20261202100700_vapi_routes_service_role_only: admins write their clinic's routes again.
drop policy vapi_routes_select on public.vapi_routes;
create policy vapi_routes_select on public.vapi_routes
  for select to authenticated using (org_id in (select private.admin_org_ids()));

grant insert, update, delete on public.vapi_routes to authenticated;
create policy vapi_routes_insert on public.vapi_routes
  for insert to authenticated with check (org_id in (select private.admin_org_ids()));
create policy vapi_routes_update on public.vapi_routes
  for update to authenticated using (org_id in (select private.admin_org_ids())) with check (org_id in (select private.admin_org_ids()));
create policy vapi_routes_delete on public.vapi_routes
  for delete to authenticated using (org_id in (select private.admin_org_ids()));
