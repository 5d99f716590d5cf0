-- Reverts 20261202130200_services.
drop table public.service_practitioners;
drop table public.services;
drop function private.are_service_labels(text[]);
drop function private.is_service_label(text);
drop function private.normalize_label(text);
