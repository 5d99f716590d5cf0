-- Reverts 20261202131000_reschedule_appointment.
drop function public.reschedule_appointment(uuid, text, timestamptz, text, date, uuid, text);
