-- Reverts 20261202100500_appointment_attendee (the attendee names are lost; leads keep theirs).
drop trigger appointments_default_attendee on public.appointments;
drop function private.appointments_default_attendee();
alter table public.appointments
  drop column attendee_email,
  drop column attendee_name;
