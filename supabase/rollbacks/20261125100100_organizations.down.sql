-- Reverts 20261125100100_organizations (their triggers and constraints go with the tables).
-- No cascade: a dependent object left by a later migration makes this fail rather than vanish.
drop table public.organization_business_hours;
drop table public.organizations;
