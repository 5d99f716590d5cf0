-- Who the appointment is for, as the caller said it. A lead is the phone's contact record and
-- a later call never rewrites it (anyone can say a phone number); the name (and email) given
-- on each call is kept here, so a family sharing one phone books fine and nobody can rename
-- another patient's record by quoting her number.
alter table public.appointments
  add column attendee_name text,
  add column attendee_email text;

-- Existing appointments: the name and email of their lead, as they were shown until now.
update public.appointments a
set attendee_name = l.name, attendee_email = l.email
from public.leads l
where l.org_id = a.org_id and l.id = a.lead_id;

alter table public.appointments
  alter column attendee_name set not null,
  add constraint appointments_attendee_name_check
    check (char_length(attendee_name) between 1 and 100 and attendee_name = btrim(attendee_name)),
  add constraint appointments_attendee_name_visible_check
    check (not private.has_forbidden_name_characters(attendee_name)) not valid,
  add constraint appointments_attendee_email_check
    check (attendee_email = lower(btrim(attendee_email)) and private.is_valid_email(attendee_email)) not valid;

comment on column public.appointments.attendee_name is 'The name the caller gave for this appointment (the lead keeps its own)';
comment on column public.appointments.attendee_email is 'The email the caller gave for this appointment, if any';

-- Staff tools and operators' scripts that insert an appointment without naming the attendee
-- get the lead's name and email, as before this column existed.
create or replace function private.appointments_default_attendee()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.attendee_name is null then
    select l.name, coalesce(new.attendee_email, l.email)
      into new.attendee_name, new.attendee_email
    from public.leads l
    where l.org_id = new.org_id and l.id = new.lead_id;
  end if;
  return new;
end;
$$;
revoke all on function private.appointments_default_attendee() from public;

create trigger appointments_default_attendee
  before insert on public.appointments
  for each row execute function private.appointments_default_attendee();
