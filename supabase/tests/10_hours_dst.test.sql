-- Opening hours as instants (issue 10 item 13, issue 11 item 4): windows that cross midnight,
-- and ONE DST rule for the booking check, the free-slot search and check_availability: free
-- times step in real instants (no duplicate, no missing hour), a wall time that does not exist
-- moves forward by the gap, a wall time that occurs twice means the earlier instant. The DST
-- days are found from today, so the test never goes stale.
begin;
\ir fixtures/helpers.psql
select plan(32);

-- A clinic open around the clock: every weekday 00:00–00:00 (closes the next day).
create function pg_temp.round_the_clock(p_name text, p_time_zone text, p_country text) returns uuid language plpgsql as $$
declare v_id uuid := tests.create_org(p_name, p_time_zone, p_country);
begin
  update public.organizations set booking_horizon_days = 3650 where id = v_id;
  delete from public.organization_business_hours where org_id = v_id;
  insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at)
  select v_id, d::smallint, time '00:00', time '00:00' from generate_series(1, 7) as g(d);
  return v_id;
end $$;
-- The next local day (from the day after tomorrow) that lasts p_hours hours: 23 = spring forward, 25 = fall back.
create function pg_temp.dst_day(p_time_zone text, p_hours integer) returns date language sql as $$
  select x.d from generate_series(0, 400) as g(i),
    lateral (select (now() at time zone p_time_zone)::date + 2 + g.i as d) x
  where private.local_instant((x.d + 1)::timestamp, p_time_zone) - private.local_instant(x.d::timestamp, p_time_zone) = make_interval(hours => p_hours)
  order by x.d limit 1 $$;
create function pg_temp.slots(p_org uuid, p_day date, p_minutes integer) returns timestamptz[] language sql as $$
  select coalesce(array_agg((value #>> '{}')::timestamptz order by ordinality), '{}')
  from jsonb_array_elements(public.check_availability(p_org, p_day, p_minutes) -> 'slots') with ordinality $$;
-- Every gap between consecutive slots, as a set of distinct intervals.
create function pg_temp.steps(p_slots timestamptz[]) returns interval[] language sql as $$
  select coalesce(array_agg(distinct p_slots[i + 1] - p_slots[i]), '{}') from generate_subscripts(p_slots, 1) as i where i < array_length(p_slots, 1) $$;

select pg_temp.round_the_clock('Always Open NY', 'America/New_York', 'US') as ny \gset
select pg_temp.round_the_clock('Always Open London', 'Europe/London', 'GB') as ldn \gset
select pg_temp.dst_day('America/New_York', 23) as ny_spring \gset
select pg_temp.dst_day('America/New_York', 25) as ny_fall \gset
select pg_temp.dst_day('Europe/London', 23) as ldn_spring \gset
select pg_temp.dst_day('Europe/London', 25) as ldn_fall \gset

-- The rule itself.
select is(private.local_instant((:'ny_fall'::date + time '01:30'), 'America/New_York'),
  (:'ny_fall'::date + time '01:30') at time zone 'America/New_York' - interval '1 hour',
  'New York fall back: 01:30 (twice) means the earlier instant, 01:30 EDT');
select is(private.local_instant((:'ny_spring'::date + time '02:30'), 'America/New_York'),
  private.local_instant((:'ny_spring'::date + time '03:30'), 'America/New_York'),
  'New York spring forward: 02:30 (does not exist) moves forward by the gap to 03:30 EDT');
select is(private.local_instant((:'ldn_fall'::date + time '01:30'), 'Europe/London'),
  (:'ldn_fall'::date + time '00:30') at time zone 'UTC', 'London fall back: 01:30 means 01:30 BST (00:30 UTC)');
select is(private.local_instant((:'ldn_spring'::date + time '01:30'), 'Europe/London'),
  (:'ldn_spring'::date + time '01:30') at time zone 'UTC', 'London spring forward: 01:30 moves forward to 02:30 BST (01:30 UTC)');
select is(private.local_instant('2031-07-01 12:00', 'America/New_York'), '2031-07-01 16:00Z'::timestamptz, 'an ordinary wall time is just itself');

-- Free slots on DST days step in real time: no duplicate, no missing hour.
select pg_temp.slots(:'ny', :'ny_spring', 60) as s \gset
select is(array_length(:'s'::timestamptz[], 1), 92, 'New York spring-forward day: 23 hours of 15-minute starts (92)');
select is(pg_temp.steps(:'s'::timestamptz[]), array[interval '15 minutes'], '… each 15 real minutes after the last, none repeated');
select is((:'s'::timestamptz[])[1], private.local_instant(:'ny_spring'::date::timestamp, 'America/New_York'), '… from local midnight');
select pg_temp.slots(:'ny', :'ny_fall', 60) as s \gset
select is(array_length(:'s'::timestamptz[], 1), 100, 'New York fall-back day: 25 hours of starts (100)');
select is(pg_temp.steps(:'s'::timestamptz[]), array[interval '15 minutes'], '… each 15 real minutes after the last');
select ok(:'s'::timestamptz[] @> array[private.local_instant(:'ny_fall'::date + time '01:30', 'America/New_York'),
                                       private.local_instant(:'ny_fall'::date + time '01:30', 'America/New_York') + interval '1 hour'],
  '… offering 01:30 EDT and 01:30 EST, both');
select pg_temp.slots(:'ldn', :'ldn_spring', 30) as s \gset
select is(array_length(:'s'::timestamptz[], 1), 92, 'London spring-forward day: 92 starts');
select is(pg_temp.steps(:'s'::timestamptz[]), array[interval '15 minutes'], '… each 15 real minutes apart');
select pg_temp.slots(:'ldn', :'ldn_fall', 30) as s \gset
select is(array_length(:'s'::timestamptz[], 1), 100, 'London fall-back day: 100 starts');
select is(pg_temp.steps(:'s'::timestamptz[]), array[interval '15 minutes'], '… each 15 real minutes apart');

-- Booking on the fall-back day: the two 01:30s are two different slots.
select private.local_instant(:'ny_fall'::date + time '01:30', 'America/New_York') as first_130 \gset
select ok((public.book_appointment_atomic(:'ny', 'Early One', null, '+15550150001', 'checkup', :'first_130', 30) ->> 'success')::boolean, 'books 01:30 EDT');
select ok((public.book_appointment_atomic(:'ny', 'Later One', null, '+15550150002', 'checkup', :'first_130'::timestamptz + interval '1 hour', 30) ->> 'success')::boolean,
  'books 01:30 EST, an hour later in real time');
select pg_temp.slots(:'ny', :'ny_fall', 30) as s \gset
select is(array_length(:'s'::timestamptz[], 1), 100 - 2 * 2 - 2, 'each booking removes its own overlapping starts only (100 - 6)');
select ok(not (:'s'::timestamptz[] && array[:'first_130'::timestamptz, :'first_130'::timestamptz + interval '1 hour']), '… neither 01:30 is offered any more');
select is(public.book_appointment_atomic(:'ny', 'Spring Gap', null, '+15550150003', 'checkup',
  private.local_instant(:'ny_spring'::date + time '01:45', 'America/New_York'), 30) ->> 'ends_at',
  to_jsonb(private.local_instant(:'ny_spring'::date + time '03:15', 'America/New_York')) #>> '{}',
  'spring forward: 01:45 + 30 min ends at 03:15 EDT (30 real minutes)');

-- A window that opens inside the repeated hour: private.open_hours (which inlines the rule) and
-- private.local_instant agree — it opens at the earlier 01:30.
select tests.create_org('Early Bird', 'America/New_York', 'US') as early \gset
update public.organizations set booking_horizon_days = 3650 where id = :'early';
update public.organization_business_hours set opens_at = '01:30', closes_at = '03:00' where org_id = :'early';
select pg_temp.slots(:'early', :'ny_fall', 30) as s \gset
select is((:'s'::timestamptz[])[1], private.local_instant(:'ny_fall'::date + time '01:30', 'America/New_York'),
  'a window opening at 01:30 on the fall-back day opens at the earlier 01:30 (EDT)');
select is(array_length(:'s'::timestamptz[], 1), 9, '… and lasts until 03:00 EST: 2.5 real hours, nine 30-minute starts');
select is(pg_temp.slots(:'early', :'ny_spring', 30), array[private.local_instant(:'ny_spring'::date + time '01:30', 'America/New_York')],
  'on the spring-forward day 01:30–03:00 is 30 real minutes: one start');

-- 13. Windows across midnight: a 24-hour clinic takes 23:30 + 60 min.
select ok((public.book_appointment_atomic(:'ny', 'Night Owl', null, '+15550150010', 'checkup', tests.local_slot(:'ny', 10, '23:30'), 60) ->> 'success')::boolean,
  'a 24-hour clinic books 23:30 + 60 min (into the next day)');
select ok(array[tests.local_slot(:'ny', 12, '23:30')] <@ (select array_agg(f) from private.free_slot_starts(:'ny', tests.local_slot(:'ny', 12, '23:00'), tests.local_slot(:'ny', 13, '01:00'), 60) f),
  'and offers 23:30 for 60 minutes');

-- A night window Friday 22:00 – Saturday 02:00 (plus Monday–Thursday days).
select tests.create_org('Night Clinic') as night \gset
update public.organizations set booking_horizon_days = 3650 where id = :'night';
delete from public.organization_business_hours where org_id = :'night' and weekday in (5, 6, 7);
insert into public.organization_business_hours (org_id, weekday, opens_at, closes_at) values (:'night', 5, '22:00', '02:00');
-- The next Saturday at least three days ahead, in the clinic's zone.
select d as saturday from generate_series(3, 9) as g(i), tests.local_date(:'night', g.i) as d
  where extract(isodow from d) = 6 order by d limit 1 \gset
create function pg_temp.night_at(p_day date, p_time time) returns timestamptz language sql as $$ select private.local_instant(p_day + p_time, 'America/New_York') $$;
select ok((public.book_appointment_atomic(:'night', 'Late Larry', null, '+15550150020', 'checkup', pg_temp.night_at(:'saturday', '01:00'), 60) ->> 'success')::boolean,
  'Saturday 01:00 + 60 min books inside Friday''s window');
select is(public.book_appointment_atomic(:'night', 'Later Lou', null, '+15550150021', 'checkup', pg_temp.night_at(:'saturday', '01:30'), 60) ->> 'error',
  'OUTSIDE_BUSINESS_HOURS', 'Saturday 01:30 + 60 min runs past 02:00 → OUTSIDE_BUSINESS_HOURS');
select ok((public.book_appointment_atomic(:'night', 'Midnight Mo', null, '+15550150022', 'checkup', pg_temp.night_at(:'saturday'::date - 1, '23:30'), 60) ->> 'success')::boolean,
  'Friday 23:30 + 60 min books across midnight');
select is(public.check_availability(:'night', :'saturday', 30) -> 'slots',
  jsonb_build_array(pg_temp.night_at(:'saturday', '00:30')),
  'Saturday''s one free 30-minute start comes from Friday''s window after midnight (00:30, between the two bookings)');
select is(public.check_availability(:'night', :'saturday'::date + 1, 30) -> 'slots', '[]'::jsonb, 'Sunday (no window) has none');
select is(public.book_appointment_atomic(:'night', 'Sunday Sam', null, '+15550150023', 'checkup', pg_temp.night_at(:'saturday'::date + 1, '10:00'), 30) ->> 'error',
  'OUTSIDE_BUSINESS_HOURS', 'Sunday 10:00 → OUTSIDE_BUSINESS_HOURS');
select ok((public.book_appointment_atomic(:'night', 'Monday Mia', null, '+15550150024', 'checkup', pg_temp.night_at(:'saturday'::date + 2, '19:30'), 30) ->> 'success')::boolean,
  'an ordinary 06:00–20:00 day still books 19:30 + 30');

select * from finish();
rollback;
