-- The route lookup waits at most 1 s for a lock (DDL on vapi_routes or organizations, a
-- migration in progress) and then fails with lock_not_available, which the endpoint answers
-- TRY_AGAIN. Without it a lookup waited for the role's 8 s statement timeout while holding a
-- pooled connection, and a burst of uncached lookups could fill the pool for every clinic.
-- 1 s, not the booking's 3 s: the lookup runs before the booking and shares the request's budget.
alter function public.resolve_booking_org(text, text, uuid) set lock_timeout = '1s';
