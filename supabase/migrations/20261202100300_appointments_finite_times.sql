-- tstzrange(infinity, infinity) is empty and overlaps nothing, so appointments at ±infinity
-- would escape appointments_no_overlap. Every writer (the booking function, staff under RLS,
-- operators) is held to finite times here.
alter table public.appointments
  add constraint appointments_finite_times_check check (isfinite(scheduled_at) and isfinite(ends_at));
