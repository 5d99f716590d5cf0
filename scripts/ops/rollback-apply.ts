// Runs a rollback plan: each reverse script in its own transaction together with deleting the
// migration's row from supabase_migrations.schema_migrations, which is exactly what
// `supabase migration repair --status reverted <version>` records. A failing step rolls back
// alone; the steps before it stay reverted (each is a consistent schema version).
import type pg from 'pg';
import { readRollbackSql, type RollbackStep } from './rollback-plan.ts';

export async function appliedVersions(client: pg.ClientBase): Promise<string[]> {
  const { rows: [table] } = await client.query<{ present: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as present`);
  if (!table?.present) return [];
  const { rows } = await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
  return rows.map((r) => r.version);
}

export interface StepOutcome {
  step: RollbackStep;
  ok: boolean;
  error?: string;
}

export async function applyRollback(
  client: pg.ClientBase,
  steps: readonly RollbackStep[],
  onStep: (outcome: StepOutcome) => void = () => undefined,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  try {
    for (const step of steps) {
      const sql = readRollbackSql(step);
      try {
        await client.query('begin');
        // Dropping a table waits for every query on it; give up rather than queue the whole
        // API behind the rollback's lock.
        await client.query(`set local lock_timeout = '10s'`);
        await client.query(sql);
        const deleted = await client.query('delete from supabase_migrations.schema_migrations where version = $1', [step.version]);
        if (deleted.rowCount !== 1) throw new Error(`schema_migrations has no row for ${step.version} (another rollback running?)`);
        await client.query('commit');
        outcomes.push({ step, ok: true });
        onStep({ step, ok: true });
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        const outcome = { step, ok: false, error: error instanceof Error ? error.message : String(error) };
        outcomes.push(outcome);
        onStep(outcome);
        break;
      }
    }
  } finally {
    // PostgREST caches the schema: tell it once that functions and tables went away (the
    // reverse scripts do not each notify; a notify outside a transaction is sent at once).
    if (outcomes.some((o) => o.ok)) await client.query(`notify pgrst, 'reload schema'`).catch(() => undefined);
  }
  return outcomes;
}
