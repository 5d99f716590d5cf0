-- Reverts 20261202130800_find_appointments.
drop function public.find_appointments(uuid, text, text);
drop function private.appointment_list(uuid[]);
drop function private.caller_appointments(uuid, text, text, date, uuid, text);
