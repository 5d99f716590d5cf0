-- How far ahead a clinic takes bookings: the start's clinic-local date may be at most this
-- many days after today (clinic-local). book_appointment_atomic answers BEYOND_HORIZON past it.
alter table public.organizations
  add column booking_horizon_days integer not null default 365
    constraint organizations_booking_horizon_days_check check (booking_horizon_days between 1 and 3650);
comment on column public.organizations.booking_horizon_days is
  'Furthest bookable clinic-local date = today (clinic-local) + this many days';
