-- Reverts 20261125100200_organization_members.
drop table public.organization_members;
