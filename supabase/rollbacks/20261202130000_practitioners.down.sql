-- Reverts 20261202130000_practitioners.
drop table public.practitioner_hours;
drop table public.practitioners;
