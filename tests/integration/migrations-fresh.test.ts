// `supabase db push` onto a project an earlier iteration left a `_v2` and overloads in: after
// it, exactly one booking function exists, with the canonical signature, and the rest of the
// audit is clean too.
import { afterAll, describe, expect, it } from 'vitest';
import { pushMigrations } from '../../scripts/lib/stack.ts';
import { connectDatabase } from '../../scripts/ops/connect.ts';
import { runAudit } from '../../scripts/ops/audit-checks.ts';
import { createScratchDatabase, queryAs, type ScratchDatabase } from '../support/scratch-db.ts';

const BOOKING_FUNCTIONS = `
  select p.oid::regprocedure::text as signature, pg_catalog.format_type(p.prorettype, null) as returns
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.proname like 'book\\_appointment%'
  order by 1`;

describe('migrations on a database with legacy booking functions', () => {
  let db: ScratchDatabase | undefined;
  afterAll(async () => {
    await db?.drop();
  });

  it('leaves exactly one book_appointment% function, the canonical one', async () => {
    db = await createScratchDatabase('fresh legacy', { migrate: false });
    // As an earlier deployment made them: as postgres, in public, before our migrations.
    await queryAs(db.url, `
      create function public.book_appointment_atomic_v2(p_org_id uuid, p_name text, p_phone text, p_scheduled_at timestamptz)
        returns jsonb language sql as $$ select '{}'::jsonb $$;
      create function public.book_appointment_atomic(p_org_id uuid, p_name text, p_email text, p_phone text,
          p_service_type text, p_scheduled_at timestamptz, p_duration_minutes integer)
        returns json language sql as $$ select '{}'::json $$;
      -- The canonical argument list with the wrong return type: create or replace cannot fix it.
      create function public.book_appointment_atomic(p_org_id uuid, p_name text, p_email text, p_phone text,
          p_service_type text, p_scheduled_at timestamptz, p_duration_minutes integer, p_idempotency_key text)
        returns json language sql as $$ select '{}'::json $$;`);
    expect((await queryAs(db.url, BOOKING_FUNCTIONS)).rows).toHaveLength(3);

    await pushMigrations(db.url);

    // The canonical signature is written in one place, the audit's check (asserted just below).
    expect((await queryAs(db.url, BOOKING_FUNCTIONS)).rows).toEqual([expect.objectContaining({ returns: 'jsonb' })]);
    const client = await connectDatabase(db.url, 'migrations-fresh test');
    try {
      const report = await runAudit(client);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
