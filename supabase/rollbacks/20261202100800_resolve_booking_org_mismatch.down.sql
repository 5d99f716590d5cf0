-- Reverts 20261202100800_resolve_booking_org_mismatch: resolve_booking_org as 20261125100300 made it.
create or replace function public.resolve_booking_org(
  p_assistant_id text default null,
  p_phone_number_id text default null,
  p_org_id uuid default null
)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'org_id', o.id,
    'timezone', o.timezone,
    'default_country', o.default_country,
    'default_duration_minutes', o.default_duration_minutes
  )
  from public.organizations o
  where o.id = coalesce(
    p_org_id,
    (select r.org_id from public.vapi_routes r where r.kind = 'assistant' and r.external_id = p_assistant_id),
    (select r.org_id from public.vapi_routes r where r.kind = 'phone_number' and r.external_id = p_phone_number_id)
  )
$$;
