-- Reverts 20261125100300_vapi_routing.
drop function public.resolve_booking_org(text, text, uuid);
drop table public.vapi_routes;
