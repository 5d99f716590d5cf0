-- Reverts 20261125100900_check_availability.
drop function public.check_availability(uuid, date, integer);
