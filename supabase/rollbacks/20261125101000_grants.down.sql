-- Reverts 20261125101000_grants: the tables go back to the privileges they were created with,
-- which Supabase's default privileges in `public` make "all" for anon, authenticated and
-- service_role. Revoked first and granted in that order so each table's ACL is rebuilt exactly
-- as creation built it (a schema dump then matches the one taken before the migration).
revoke all on table
  public.organizations, public.organization_business_hours, public.organization_members,
  public.vapi_routes, public.leads, public.appointments
  from anon, authenticated, service_role;

grant all on table
  public.organizations, public.organization_business_hours, public.organization_members,
  public.vapi_routes, public.leads, public.appointments
  to anon, authenticated, service_role;
