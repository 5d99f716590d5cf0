-- Who belongs to which clinic: the basis of every RLS policy.
create table public.organization_members (
  org_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'staff' check (role in ('owner', 'admin', 'staff')),
  created_at timestamptz not null default now(),
  primary key (org_id, user_id)
);

-- Policies look memberships up by user first.
create index organization_members_user_id_idx on public.organization_members (user_id, org_id);
