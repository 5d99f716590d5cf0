-- Reverts 20261202140000_resolve_booking_org_bounded_wait.
alter function public.resolve_booking_org(text, text, uuid) reset lock_timeout;
