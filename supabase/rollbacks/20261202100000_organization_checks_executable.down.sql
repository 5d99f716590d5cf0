-- Reverts 20261202100000_organization_checks_executable.
revoke execute on function private.is_iana_time_zone(text) from authenticated, service_role;
