-- Vapi routes decide which clinic a call books into, so only the service role provisions them.
-- A clinic admin who could insert another clinic's assistant id would capture its calls, and
-- the unique violation on (kind, external_id) told any admin whether an id was in use
-- elsewhere. Members may read their own clinic's routes (and only those).
drop policy vapi_routes_insert on public.vapi_routes;
drop policy vapi_routes_update on public.vapi_routes;
drop policy vapi_routes_delete on public.vapi_routes;
revoke insert, update, delete on public.vapi_routes from authenticated;

drop policy vapi_routes_select on public.vapi_routes;
create policy vapi_routes_select on public.vapi_routes
  for select to authenticated using (org_id in (select private.member_org_ids()));
