-- Reverts 20261125100500_appointments (the exclusion constraint and index go with the table).
-- Deletes every appointment: take a backup first (README, "Release checklist").
drop table public.appointments;
