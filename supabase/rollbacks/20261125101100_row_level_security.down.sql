-- Reverts 20261125101100_row_level_security: policies first (they use the helpers), then RLS,
-- then the helpers.
drop policy appointments_delete on public.appointments;
drop policy appointments_update on public.appointments;
drop policy appointments_insert on public.appointments;
drop policy appointments_select on public.appointments;

drop policy leads_delete on public.leads;
drop policy leads_update on public.leads;
drop policy leads_insert on public.leads;
drop policy leads_select on public.leads;

drop policy vapi_routes_delete on public.vapi_routes;
drop policy vapi_routes_update on public.vapi_routes;
drop policy vapi_routes_insert on public.vapi_routes;
drop policy vapi_routes_select on public.vapi_routes;

drop policy organization_members_select on public.organization_members;

drop policy business_hours_delete on public.organization_business_hours;
drop policy business_hours_update on public.organization_business_hours;
drop policy business_hours_insert on public.organization_business_hours;
drop policy business_hours_select on public.organization_business_hours;

drop policy organizations_update on public.organizations;
drop policy organizations_select on public.organizations;

alter table public.appointments disable row level security;
alter table public.leads disable row level security;
alter table public.vapi_routes disable row level security;
alter table public.organization_members disable row level security;
alter table public.organization_business_hours disable row level security;
alter table public.organizations disable row level security;

drop function private.admin_org_ids();
drop function private.member_org_ids();
