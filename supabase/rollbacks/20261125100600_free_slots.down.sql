-- Reverts 20261125100600_free_slots.
drop function private.nearest_free_slots(uuid, timestamptz, integer, integer);
drop function private.free_slot_starts(uuid, timestamptz, timestamptz, integer);
