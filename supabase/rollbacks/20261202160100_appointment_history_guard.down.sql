-- Reverts 20261202160100_appointment_history_guard.
alter table public.booking_events
  drop constraint booking_events_appointment_fkey,
  add constraint booking_events_appointment_fkey foreign key (org_id, appointment_id)
    references public.appointments (org_id, id) on delete cascade;
drop trigger appointments_keep_history on public.appointments;
drop function private.appointments_keep_history();
