-- Reverts 20261125100800_book_appointment_atomic.
drop function public.book_appointment_atomic(uuid, text, text, text, text, timestamptz, integer, text);
drop function private.booking_failure(text, jsonb);
