// Where a booking's time goes, from inside Postgres: pg_stat_statements with nested statements
// tracked, and auto_explain (analyze, nested statements) of single bookings. Both are switched
// on only around the profiling step, on the bench's own throwaway cluster.
import { waitFor } from '../lib/poll.ts';
import pg from 'pg';
import { elapsedMs, summarize, type LatencySummary } from './stats.ts';
import { bookQuery, type Booking } from './db-load.ts';

export interface StatementCost {
  calls: number;
  totalMs: number;
  meanMs: number;
  /** Time per booking profiled, µs (nested statements add up to about the top-level call). */
  perBookingUs: number;
  query: string;
}

async function withSuperuser<T>(url: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url, application_name: 'bench-profile' });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** Runs `load` with pg_stat_statements.track = all and returns the costliest statements. */
export async function profileStatements(superuserUrl: string, bookings: number, load: () => Promise<void>): Promise<StatementCost[]> {
  await withSuperuser(superuserUrl, async (db) => {
    await db.query("alter system set pg_stat_statements.track = 'all'");
    await db.query('select pg_catalog.pg_reload_conf()');
    // The postmaster re-reads the file, then signals every backend; each applies it before its
    // next command. Once this backend sees it, the load's (older) connections have been signalled.
    await waitFor(async () => {
      const { rows } = await db.query<{ track: string }>("select pg_catalog.current_setting('pg_stat_statements.track') as track");
      return rows[0]?.track === 'all';
    }, { what: 'pg_stat_statements.track = all to be reloaded', timeoutMs: 5000 });
  });
  try {
    await withSuperuser(superuserUrl, (db) => db.query('select extensions.pg_stat_statements_reset()'));
    await load();
    return await withSuperuser(superuserUrl, async (db) => {
      const { rows } = await db.query<{ calls: string; total: number; mean: number; query: string }>(
        `select calls, total_exec_time as total, mean_exec_time as mean, query
         from extensions.pg_stat_statements
         where dbid = (select oid from pg_catalog.pg_database where datname = pg_catalog.current_database())
           and query not like '%pg_stat_statements%'
         order by total_exec_time desc
         limit 12`,
      );
      return rows.map((r) => ({
        calls: Number(r.calls),
        totalMs: r.total,
        meanMs: r.mean,
        perBookingUs: (r.total * 1000) / Math.max(1, bookings),
        query: r.query.replace(/\s+/g, ' ').trim(),
      }));
    });
  } finally {
    await withSuperuser(superuserUrl, async (db) => {
      await db.query('alter system reset pg_stat_statements.track');
      await db.query('select pg_catalog.pg_reload_conf()');
    });
  }
}

export interface ExplainedStatement {
  durationMs: number;
  query: string;
  plan: string;
}

/**
 * One booking with auto_explain logging every nested statement's analyzed plan to this
 * session (log_level notice), inside a transaction that is rolled back.
 */
export async function explainBooking(superuserUrl: string, booking: Booking, setup?: (db: pg.Client) => Promise<void>): Promise<{ reply: unknown; statements: ExplainedStatement[] }> {
  return withSuperuser(superuserUrl, async (db) => {
    const notices: string[] = [];
    db.on('notice', (notice) => notices.push(notice.message ?? ''));
    await db.query('begin');
    try {
      if (setup) await setup(db);
      await db.query("load 'auto_explain'");
      for (const setting of [
        'auto_explain.log_min_duration = 0',
        'auto_explain.log_analyze = on',
        'auto_explain.log_buffers = on',
        'auto_explain.log_timing = on',
        'auto_explain.log_nested_statements = on',
        'auto_explain.log_level = notice',
        'client_min_messages = notice',
      ]) await db.query(`set local ${setting}`);
      const { rows } = await db.query<{ r: unknown }>({ text: bookQuery(booking).text, values: bookQuery(booking).values ?? [] });
      await db.query('set local auto_explain.log_min_duration = -1');
      return { reply: rows[0]?.r, statements: notices.map(parseAutoExplain).filter((s): s is ExplainedStatement => s !== null) };
    } finally {
      await db.query('rollback');
    }
  });
}

function parseAutoExplain(message: string): ExplainedStatement | null {
  const head = /^duration: ([0-9.]+) ms\s+plan:\s*/.exec(message);
  if (!head) return null;
  const plan = message.slice(head[0].length).trim();
  // The first line of the statement is enough to name it; the full text stays in `plan`.
  const query = (/Query Text:\s*(\S.*)/.exec(plan)?.[1] ?? '').replace(/\s+/g, ' ').trim();
  return { durationMs: Number(head[1]), query, plan };
}

/** The standalone cost of the alternatives a refused booking computes (nearest free slots). */
export async function timeNearestFreeSlots(superuserUrl: string, orgId: string, at: Date, minutes: number, n: number): Promise<LatencySummary> {
  return withSuperuser(superuserUrl, async (db) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const t0 = process.hrtime.bigint();
      await db.query({ name: 'nearest', text: 'select private.nearest_free_slots($1, $2, $3) as s', values: [orgId, at, minutes] });
      samples.push(elapsedMs(t0));
    }
    return summarize(samples);
  });
}
