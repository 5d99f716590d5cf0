-- Reverts 20261202100400_contact_rules.
alter table public.leads
  drop constraint leads_phone_nanp_check,
  drop constraint leads_email_format_check,
  drop constraint leads_name_visible_check;
drop function private.normalize_phone(text, text);
drop function private.is_valid_email(text);
drop function private.normalize_name(text);
drop function private.has_forbidden_name_characters(text);
