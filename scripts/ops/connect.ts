// One connection for an operator script, with failures reduced to one line that names the
// target (user@host:port/database) and never the password.
import pg from 'pg';
import { redactSecrets } from '../lib/run.ts';

/** The script could not reach or log into the database: nothing was checked or changed. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConnectionError('the database URL is not a valid postgresql://user:password@host:port/database URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConnectionError(`the database URL must start with postgresql:// (got ${parsed.protocol}//)`);
  }
  return parsed;
}

export function describeTarget(url: string): string {
  const parsed = parseUrl(url);
  const user = decodeURIComponent(parsed.username) || '(default user)';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return `${user}@${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}/${database}`;
}

/** One line, no URL password, no stack. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactSecrets(text).replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}

/**
 * Supabase's connection strings say `sslmode=require`, which psql, pg_dump and the supabase CLI
 * read as "encrypt, do not verify"; node-postgres alone would read it as verify-full and fail
 * on Supabase's own CA. Ask for libpq's meaning so one URL works with every tool.
 */
function withLibpqSslSemantics(parsed: URL): string {
  if (parsed.searchParams.has('sslmode') && !parsed.searchParams.has('uselibpqcompat')) {
    parsed.searchParams.set('uselibpqcompat', 'true');
  }
  return parsed.toString();
}

export async function connectDatabase(url: string, applicationName: string): Promise<pg.Client> {
  const parsed = parseUrl(url);
  const target = describeTarget(url);
  const client = new pg.Client({
    connectionString: withLibpqSslSemantics(parsed),
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
  });
  // A connection dropped while idle emits 'error' on the client; without a listener Node would
  // crash with a stack trace. The pending query (if any) rejects with the same error anyway.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new ConnectionError(`cannot connect to ${target}: ${oneLine(error)}`);
  }
  return client;
}
