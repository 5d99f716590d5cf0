-- Table privileges, kept apart from the schema. Supabase's default privileges grant ALL on
-- every new public table to anon and authenticated; we take that back and grant only what
-- each role needs. RLS (next migration) then limits authenticated to its own clinic's rows.
revoke all on table
  public.organizations, public.organization_business_hours, public.organization_members,
  public.vapi_routes, public.leads, public.appointments
  from anon, authenticated;

-- Clinic staff (through the API, under RLS).
grant select, update on public.organizations to authenticated;
grant select, insert, update, delete on public.organization_business_hours to authenticated;
grant select on public.organization_members to authenticated;
grant select, insert, update, delete on public.vapi_routes to authenticated;
grant select, insert, update, delete on public.leads to authenticated;
grant select, insert, update, delete on public.appointments to authenticated;

-- The server side (edge function through the booking RPC, operators' scripts).
grant select, insert, update, delete on
  public.organizations, public.organization_business_hours, public.organization_members,
  public.vapi_routes, public.leads, public.appointments
  to service_role;
