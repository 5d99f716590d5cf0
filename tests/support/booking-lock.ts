// Holding a clinic's booking lock from another session, the way a long transaction would,
// and watching who queues behind it.
import pg from 'pg';
import { requireStackValue } from './stack-env.ts';
import { BOOKING_LOCK_SQL } from '../../scripts/lib/fixtures/booking-lock.ts';

export interface LockHolder {
  /** Backend pid of the holding session. */
  pid: number;
  /** Commits the holding transaction: the lock is released. */
  release(): Promise<void>;
  /** Ends the session (rolls back if still open). Safe to call twice. */
  close(): Promise<void>;
}

export async function holdBookingLock(orgId: string): Promise<LockHolder> {
  return holdInTransaction(BOOKING_LOCK_SQL, [orgId]);
}

/**
 * Runs `sql` in a transaction of its own session and keeps it open: whatever it locked (a row
 * for update, an uncommitted insert, a table) stays locked until release() or close().
 */
export async function holdInTransaction(sql: string, params: unknown[] = []): Promise<LockHolder> {
  const client = new pg.Client({ connectionString: requireStackValue('DATABASE_URL') });
  client.on('error', () => undefined); // the session may be cut by a test that stops the database
  await client.connect();
  await client.query('begin');
  await client.query(sql, params);
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const pid = rows[0]?.pid;
  if (pid === undefined) throw new Error('no backend pid');
  let closed = false;
  return {
    pid,
    async release() { await client.query('commit'); },
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    },
  };
}

type Db = pg.Pool | pg.Client;

/** The first backend waiting for a lock `holderPid` holds, if any. */
export async function backendBlockedBy(db: Db, holderPid: number): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>(
    'select pid from pg_stat_activity where $1::int = any(pg_blocking_pids(pid)) order by backend_start limit 1',
    [holderPid],
  );
  return rows[0]?.pid;
}

export async function backendExists(db: Db, pid: number): Promise<boolean> {
  const { rows } = await db.query('select 1 from pg_stat_activity where pid = $1', [pid]);
  return rows.length > 0;
}
