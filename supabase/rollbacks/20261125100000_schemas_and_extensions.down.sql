-- Reverts 20261125100000_schemas_and_extensions.
--
-- Kept on purpose:
-- - schema `extensions`: it belongs to Supabase (and to the local bootstrap), not to us; the
--   migration only makes sure it exists.
-- - extension btree_gist: `create extension if not exists` cannot tell whether we installed it
--   or it was already there, other objects may use its operator classes, and it holds no data.
--   Leaving it costs nothing; a re-apply finds it installed and carries on.
drop function private.is_iana_time_zone(text);
drop function private.touch_updated_at();

-- Without cascade: if anything else was put in `private`, the rollback stops here instead of
-- taking it along.
drop schema private;
