-- Reverts 20261125100400_leads. Deletes every lead: take a backup first (README, "Release checklist").
drop table public.leads;
