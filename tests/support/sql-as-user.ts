// SQL as an API role would run it: `authenticated` (or anon) with request.jwt.claims set, the
// way PostgREST runs a request, inside a transaction that is always rolled back.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export type ApiRole = 'anon' | 'authenticated';

export interface SqlSession {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs a statement expected to fail; returns its SQLSTATE (null if it succeeded). The session stays usable. */
  errorCode(sql: string, params?: unknown[]): Promise<string | null>;
}

export async function asApiRole<T>(
  pool: pg.Pool,
  role: ApiRole,
  claims: Record<string, unknown>,
  run: (session: SqlSession) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let savepoints = 0;
  const session: SqlSession = {
    query: (sql, params) => client.query(sql, params),
    async errorCode(sql, params) {
      const name = `expect_error_${(savepoints += 1)}`;
      await client.query(`savepoint ${name}`);
      try {
        await client.query(sql, params);
        await client.query(`release savepoint ${name}`);
        return null;
      } catch (error) {
        await client.query(`rollback to savepoint ${name}`);
        const code = (error as { code?: unknown }).code;
        return typeof code === 'string' ? code : 'no-sqlstate';
      }
    },
  };
  try {
    await client.query('begin');
    await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [role, JSON.stringify({ role, ...claims })]);
    return await run(session);
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

/** A user in auth.users who is a member of `orgId`; returns the user id (the JWT `sub`). */
export async function createClinicMember(db: pg.Pool | pg.Client, orgId: string, role: 'owner' | 'admin' | 'staff' = 'staff'): Promise<string> {
  const userId = randomUUID();
  await db.query('insert into auth.users (id, email) values ($1, $2)', [userId, `member-${userId}@clinic.test`]);
  await db.query('insert into public.organization_members (org_id, user_id, role) values ($1, $2, $3)', [orgId, userId, role]);
  return userId;
}
