-- Bounded waits for the booking and availability functions (docs/tenancy-and-waits.md).

-- Sets lock_timeout (transaction-local) to what is left of the caller's total budget before a
-- statement that may wait, split over the waits that statement can make. When nothing is left
-- it raises lock_not_available, as a timed-out wait would (lock_timeout = 0 would mean "wait
-- forever"), so the caller answers both the same way and rolls back what it wrote.
create or replace function private.set_lock_budget(p_deadline timestamptz, p_waits integer default 1)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_ms bigint := pg_catalog.floor(extract(epoch from p_deadline - pg_catalog.clock_timestamp()) * 1000 / greatest(p_waits, 1));
begin
  if v_ms < 1 then
    raise exception using errcode = 'lock_not_available', message = 'booking wait budget spent';
  end if;
  perform pg_catalog.set_config('lock_timeout', v_ms::text || 'ms', true);
end;
$$;

-- A per-clinic semaphore of 3 waiter slots: a booking that finds its clinic's lock taken may
-- wait for it only while holding one of these (transaction-scoped advisory locks on
-- (clinic, slot i), taken without waiting). When all are taken it answers TRY_AGAIN at once,
-- so one clinic's stuck lock can hold at most 3 pooled connections, never the whole pool.
create or replace function private.take_booking_waiter_slot(p_org_id uuid)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
begin
  for v_slot in 0 .. 2 loop
    if pg_catalog.pg_try_advisory_xact_lock(
         pg_catalog.hashtextextended('book_appointment_atomic:waiter:' || p_org_id::text || ':' || v_slot::text, 0)) then
      return true;
    end if;
  end loop;
  return false;
end;
$$;

revoke all on function private.set_lock_budget(timestamptz, integer), private.take_booking_waiter_slot(uuid) from public;
grant execute on function private.set_lock_budget(timestamptz, integer), private.take_booking_waiter_slot(uuid) to service_role;
