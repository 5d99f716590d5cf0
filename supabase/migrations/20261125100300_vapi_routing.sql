-- Which Vapi assistant / phone number belongs to which clinic. The org of a call is resolved
-- from these trusted ids, never from arguments a language model wrote.
create table public.vapi_routes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  kind text not null check (kind in ('assistant', 'phone_number')),
  external_id text not null check (char_length(external_id) between 1 and 200),
  created_at timestamptz not null default now(),
  unique (kind, external_id)
);
create index vapi_routes_org_id_idx on public.vapi_routes (org_id);

-- One read for the edge function: the org of a call and what it needs to normalize input.
-- An assistant id wins over a phone-number id (a transient assistant has only the latter);
-- p_org_id is for trusted direct callers that name their clinic explicitly.
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

revoke execute on function public.resolve_booking_org(text, text, uuid) from public, anon, authenticated;
grant execute on function public.resolve_booking_org(text, text, uuid) to service_role;
