-- Reverts 20261202100300_appointments_finite_times.
alter table public.appointments drop constraint appointments_finite_times_check;
