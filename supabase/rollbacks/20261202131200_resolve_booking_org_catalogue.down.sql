-- Reverts 20261202131200_resolve_booking_org_catalogue: the function as 20261202100800 made it.
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
  with routed as (
    select
      (select r.org_id from public.vapi_routes r where r.kind = 'assistant' and r.external_id = p_assistant_id) as by_assistant,
      (select r.org_id from public.vapi_routes r where r.kind = 'phone_number' and r.external_id = p_phone_number_id) as by_phone
  )
  select case
    when p_org_id is null and routed.by_assistant <> routed.by_phone
      then pg_catalog.jsonb_build_object('route_mismatch', true)
    else (
      select pg_catalog.jsonb_build_object(
        'org_id', o.id,
        'timezone', o.timezone,
        'default_country', o.default_country,
        'default_duration_minutes', o.default_duration_minutes,
        'booking_horizon_days', o.booking_horizon_days,
        'business_hours', (
          select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                   'weekday', h.weekday,
                   'opens_at', pg_catalog.to_char(h.opens_at, 'HH24:MI'),
                   'closes_at', pg_catalog.to_char(h.closes_at, 'HH24:MI'))
                 order by h.weekday, h.opens_at), '[]'::jsonb)
          from public.organization_business_hours h
          where h.org_id = o.id
        ))
      from public.organizations o
      where o.id = coalesce(p_org_id, routed.by_assistant, routed.by_phone)
    )
  end
  from routed
$$;
