-- Reverts 20261202130400_appointment_calendars. Moved appointments become cancelled ones (the
-- old status list has no 'rescheduled'); practitioners and buffers of appointments are lost.
alter table public.appointments drop constraint appointments_no_overlap;
drop index public.appointments_org_practitioner_idx;
drop index public.appointments_rescheduled_from_key;
update public.appointments set status = 'cancelled' where status = 'rescheduled';
alter table public.appointments drop constraint appointments_status_check;
alter table public.appointments add constraint appointments_status_check
  check (status in ('booked', 'confirmed', 'completed', 'cancelled', 'no_show'));
drop trigger appointments_blocked_range on public.appointments;
drop function private.appointments_blocked_range();
alter table public.appointments
  drop constraint appointments_rescheduled_from_fkey,
  drop constraint appointments_practitioner_fkey,
  drop constraint appointments_org_id_id_key,
  drop column rescheduled_from,
  drop column blocked_until,
  drop column blocked_from,
  drop column buffer_after_minutes,
  drop column buffer_before_minutes,
  drop column calendar_id,
  drop column practitioner_id;
alter table public.appointments add constraint appointments_no_overlap exclude using gist (
  org_id with =,
  tstzrange(scheduled_at, ends_at, '[)') with &&
) where (is_active);
