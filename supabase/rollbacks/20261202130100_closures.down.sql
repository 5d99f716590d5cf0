-- Reverts 20261202130100_closures.
drop table public.closures;
