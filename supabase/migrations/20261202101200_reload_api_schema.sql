-- The API's schema cache must see the changed resolve_booking_org, check_availability and
-- vapi_routes grants.
notify pgrst, 'reload schema';
