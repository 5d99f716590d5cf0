-- What a booking wrote stays history, whoever edits the table (staff edit appointments under
-- RLS). Found in review:
-- 1. A moved appointment ('rescheduled') set back to an active status made two active
--    appointments in one reschedule chain; the unique rescheduled_from only stops a second move.
--    A rescheduled appointment now stays rescheduled.
-- 2. Deleting an appointment deleted its outbox events (on delete cascade), sent or not. Events
--    now keep their appointment: cancel instead of deleting. `no action` (checked at the end of
--    the statement), not `restrict`, so deleting a whole clinic still removes both together.
create or replace function private.appointments_keep_history()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status = 'rescheduled' and new.status is distinct from 'rescheduled' then
    raise exception using errcode = 'check_violation',
      message = 'a rescheduled appointment stays rescheduled: book or move its successor instead';
  end if;
  return new;
end;
$$;
revoke all on function private.appointments_keep_history() from public;

create trigger appointments_keep_history
  before update of status on public.appointments
  for each row execute function private.appointments_keep_history();

alter table public.booking_events
  drop constraint booking_events_appointment_fkey,
  add constraint booking_events_appointment_fkey foreign key (org_id, appointment_id)
    references public.appointments (org_id, id) on delete no action;
