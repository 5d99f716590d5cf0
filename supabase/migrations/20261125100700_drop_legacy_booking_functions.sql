-- Exactly one booking function may exist. Earlier iterations left `book_appointment_atomic_v2`
-- and overloads behind; an overload with the classic seven arguments would also make the
-- positional SQL call ambiguous. Drop every public function named like it except the one
-- canonical signature returning jsonb (which the next migration creates or replaces).
do $$
declare
  v_fn regprocedure;
begin
  for v_fn in
    select p.oid::regprocedure
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'
      and p.proname like 'book\_appointment\_atomic%'
      and (
        p.oid is distinct from pg_catalog.to_regprocedure(
          'public.book_appointment_atomic(uuid,text,text,text,text,timestamptz,integer,text)')
        -- `create or replace` cannot change a return type: a canonical-looking legacy goes too.
        or p.prorettype <> 'jsonb'::regtype
      )
  loop
    -- The name comes from the catalog (regprocedure text is already quoted), not from input.
    execute pg_catalog.format('drop function %s', v_fn);
  end loop;
end
$$;
