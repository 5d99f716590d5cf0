-- Reverts 20261202100200_booking_horizon.
alter table public.organizations drop column booking_horizon_days;
