-- The API's schema cache must see the new tables and functions (find_appointments,
-- cancel_appointment, reschedule_appointment) and the changed book_appointment_atomic,
-- check_availability and resolve_booking_org.
notify pgrst, 'reload schema';
