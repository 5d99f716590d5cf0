// Throwaway databases on the test stack's cluster, for tests that must break, roll back or
// freshly migrate a whole database. Each gets a unique name, the Supabase bootstrap (as the
// local stack runs it) and, on request, the migrations pushed by the real CLI.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { SUPABASE_DIR } from '../../scripts/lib/project.ts';
import { psql, pushMigrations } from '../../scripts/lib/stack.ts';
import { requireStackValue } from './stack-env.ts';

export interface ScratchDatabase {
  readonly name: string;
  /** As `postgres`: what `supabase db push` and the operator scripts connect as. */
  readonly url: string;
  /** As the cluster superuser: for breaking things on purpose and for pg_dump. */
  readonly superuserUrl: string;
  /** One statement (or several, without parameters) as the superuser. */
  superuser(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /** Push supabase/migrations after the bootstrap (default false: bootstrap only). */
  migrate?: boolean;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// The bootstrap also touches cluster-wide roles (alter role, grant): two at once could collide
// on the same catalog rows ("tuple concurrently updated"), so this process runs them in turn.
let bootstrapQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const next = bootstrapQueue.then(fn, fn);
  bootstrapQueue = next.catch(() => undefined);
  return next;
}

export async function createScratchDatabase(label: string, opts: ScratchOptions = {}): Promise<ScratchDatabase> {
  const superuserAdminUrl = requireStackValue('SUPERUSER_URL');
  const databaseUrl = requireStackValue('DATABASE_URL');
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30);
  const name = `scratch_${slug}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(databaseUrl, name);
  const superuserUrl = withDatabase(superuserAdminUrl, name);

  await withClient(superuserAdminUrl, (c) => c.query(`create database "${name}"`));
  const drop = async (): Promise<void> => {
    await withClient(superuserAdminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
  };
  try {
    // The same passwords the stack already uses: the bootstrap sets them cluster-wide.
    await serialized(() => psql(superuserUrl, [
      '-v', `postgres_password=${passwordOf(databaseUrl)}`,
      '-v', `authenticator_password=${passwordOf(requireStackValue('AUTHENTICATOR_URL'))}`,
      '-f', path.join(SUPABASE_DIR, 'bootstrap', 'local-supabase.sql'),
    ]));
    if (opts.migrate) await pushMigrations(url);
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    name,
    url,
    superuserUrl,
    superuser: (sql, params) => withClient(superuserUrl, (c) => c.query(sql, params)),
    drop,
  };
}

/** One query as `postgres` on any database URL (short-lived connection). */
export function queryAs<R extends pg.QueryResultRow>(url: string, sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
  return withClient(url, (c) => c.query<R>(sql, params));
}
