-- Reverts 20261202130900_cancel_appointment.
drop function public.cancel_appointment(uuid, text, text, date, uuid);
