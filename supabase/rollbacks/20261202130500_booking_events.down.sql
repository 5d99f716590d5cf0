-- Reverts 20261202130500_booking_events (unsent events are lost).
drop function private.record_booking_event(uuid, text, jsonb);
drop table public.booking_events;
