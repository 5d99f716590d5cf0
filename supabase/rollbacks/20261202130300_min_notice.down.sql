-- Reverts 20261202130300_min_notice.
alter table public.organizations drop column min_notice_minutes;
