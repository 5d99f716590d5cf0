-- Minimum notice: a booking (or a move) must start at least this many minutes from now.
-- book_appointment_atomic answers TOO_SOON before it; no free start is offered before it.
alter table public.organizations
  add column min_notice_minutes integer not null default 0
    constraint organizations_min_notice_minutes_check check (min_notice_minutes between 0 and 10080);
comment on column public.organizations.min_notice_minutes is 'Earliest bookable start = now + this many minutes';
