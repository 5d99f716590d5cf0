-- Reverts 20261202100900_booking_wait_budget.
drop function private.take_booking_waiter_slot(uuid);
drop function private.set_lock_budget(timestamptz, integer);
