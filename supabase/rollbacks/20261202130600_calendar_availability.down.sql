-- Reverts 20261202130600_calendar_availability.
drop function private.free_practitioner(uuid, uuid[], timestamptz, timestamptz, integer, integer, text, uuid);
drop function private.calendar_open_at(uuid, uuid, timestamptz, timestamptz, text);
drop function private.nearest_bookable_starts(uuid, uuid[], timestamptz, integer, integer, integer, uuid, integer);
drop function private.bookable_starts(uuid, uuid[], timestamptz, timestamptz, integer, integer, integer, uuid);
drop function private.calendar_free_starts(uuid, uuid, timestamptz, timestamptz, integer, integer, integer, uuid);
drop function private.offering_practitioners(uuid, uuid);
drop function private.catalogue_service(uuid, text);
drop function private.take_clinic_lock(uuid, timestamptz);
drop function private.closed_ranges(uuid, uuid, timestamptz, timestamptz);
drop function private.calendar_open_hours(uuid, uuid, date, date);
