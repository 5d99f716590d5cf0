-- The outbox: one row per booking, cancellation and move, written by the booking, cancel and
-- reschedule functions in the same transaction as the change itself (both or neither). A sender
-- (SMS, email) consumes it; nothing is sent by this project (docs/receptionist-calls.md).
-- The payload holds times, service and practitioner only: never names, phones or emails (the
-- sender reads those from the appointment when it sends).
create table public.booking_events (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.organizations (id) on delete cascade,
  appointment_id uuid not null,
  kind text not null constraint booking_events_kind_check check (kind in ('booked', 'cancelled', 'rescheduled')),
  payload jsonb not null default '{}',
  created_at timestamptz not null default now(),
  processed_at timestamptz,
  attempts integer not null default 0 constraint booking_events_attempts_check check (attempts >= 0),
  constraint booking_events_appointment_fkey foreign key (org_id, appointment_id)
    references public.appointments (org_id, id) on delete cascade
);
-- What the consumer reads: the unsent rows in order.
create index booking_events_unprocessed_idx on public.booking_events (id) where processed_at is null;
create index booking_events_org_appointment_idx on public.booking_events (org_id, appointment_id);

-- Members read their clinic's events; only the service role (the functions, the sender) writes.
revoke all on table public.booking_events from anon, authenticated;
grant select on public.booking_events to authenticated;
grant select, insert, update, delete on public.booking_events to service_role;

alter table public.booking_events enable row level security;
create policy booking_events_select on public.booking_events
  for select to authenticated using (org_id in (select private.member_org_ids()));

-- The event row of one appointment change. The payload is built from the stored row, so it is
-- the truth the caller was told.
create or replace function private.record_booking_event(p_appointment_id uuid, p_kind text, p_extra jsonb default '{}')
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  insert into public.booking_events (org_id, appointment_id, kind, payload)
  select a.org_id, a.id, p_kind,
         pg_catalog.jsonb_build_object(
           'scheduled_at', a.scheduled_at, 'ends_at', a.ends_at, 'duration_minutes', a.duration_minutes,
           'service_type', a.service_type, 'practitioner_id', a.practitioner_id, 'practitioner', p.name,
           'status', a.status) || coalesce(p_extra, '{}')
  from public.appointments a
  left join public.practitioners p on p.org_id = a.org_id and p.id = a.practitioner_id
  where a.id = p_appointment_id;
end;
$$;
revoke all on function private.record_booking_event(uuid, text, jsonb) from public;
grant execute on function private.record_booking_event(uuid, text, jsonb) to service_role;
