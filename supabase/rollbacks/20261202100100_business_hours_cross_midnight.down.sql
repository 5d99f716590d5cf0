-- Reverts 20261202100100_business_hours_cross_midnight. Fails while a clinic has a window
-- that crosses midnight: change those hours first.
comment on column public.organization_business_hours.closes_at is null;
alter table public.organization_business_hours add constraint organization_business_hours_check check (closes_at > opens_at);
