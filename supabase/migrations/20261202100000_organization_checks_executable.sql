-- organizations.timezone is checked by private.is_iana_time_zone(); a CHECK runs with the
-- privileges of whoever writes the row, so service_role (creating clinics) and clinic admins
-- (editing theirs under RLS) must be able to execute it, or every insert/update fails with
-- "permission denied". It only reads pg_timezone_names, which every role may read anyway.
grant execute on function private.is_iana_time_zone(text) to authenticated, service_role;
