/**
 * PostgREST's error contract: the HTTP status for a PostgreSQL SQLSTATE and
 * the JSON body `{code, message, details, hint}`.
 *
 * The table is PostgREST's "Errors" reference (docs/references/errors.rst);
 * clients such as supabase-js and our edge function branch on these codes, so
 * the local gateway must answer exactly what production would.
 */

export interface PostgrestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

export interface MappedError {
  status: number;
  body: PostgrestErrorBody;
  /** Extra response headers (WWW-Authenticate on 401s, Allow on 405s). */
  headers: Record<string, string>;
}

/** The fields of a server error as node-postgres exposes them. */
export interface PgErrorLike {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  severity?: string;
}

/** True for an error the server reported (it has a SQLSTATE and a severity). */
export function isDatabaseError(err: unknown): err is PgErrorLike & { code: string } {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Record<string, unknown>;
  // Node system errors also carry `code` (ECONNREFUSED, EPIPE...); only server
  // errors carry a severity, so that is what tells the two apart.
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string' && typeof e.message === 'string';
}

/**
 * HTTP status for a SQLSTATE, as in PostgREST's table, for the errors our RPCs
 * and the local stack can meet. `authenticated` is false when the request ran
 * as the anonymous role: then 42501 means "log in" (401), else "forbidden" (403).
 */
export function httpStatusForSqlState(sqlState: string, authenticated: boolean): number {
  switch (sqlState) {
    case '23503': // foreign_key_violation
    case '23505': // unique_violation
      return 409;
    case '25006': // read_only_sql_transaction (a write under a stable function)
      return 405;
    case 'P0001': // raise_exception (plain RAISE)
      return 400;
    case '42883': // undefined_function (dropped under a cached catalog)
      return 404;
    case '42501': // insufficient_privilege
      return authenticated ? 403 : 401;
  }
  switch (sqlState.slice(0, 2)) {
    case '08': // connection exception
    case '53': // insufficient resources (too many connections)
      return 503;
    case '25': // invalid transaction state
    case '40': // transaction rollback (serialization failure, deadlock)
    case '55': // object not in prerequisite state (lock_not_available)
    case '57': // operator intervention, incl. 57014 statement timeout
    case 'P0': // other PL/pgSQL errors
    case 'XX': // internal error
      return 500;
  }
  return 400; // everything else, e.g. 22xxx data exceptions, 23502/23514, 42xxx
}

function authenticateHeader(status: number, error?: string, description?: string): Record<string, string> {
  if (status !== 401) return {};
  if (error === undefined) return { 'WWW-Authenticate': 'Bearer' };
  // Header values must not contain quotes or line breaks; our messages don't, but be safe.
  const safe = (description ?? '').replace(/["\r\n]/g, ' ');
  return { 'WWW-Authenticate': `Bearer error="${error}", error_description="${safe}"` };
}

/**
 * Map an error raised by PostgreSQL. Only message, detail, hint and code are
 * copied: never a stack, an internal query, or the position of the error.
 */
export function mapPgError(err: PgErrorLike & { code: string }, opts: { role: string | null; anonRole?: string }): MappedError {
  const anonRole = opts.anonRole ?? 'anon';
  const authenticated = opts.role !== null && opts.role !== anonRole;
  const status = httpStatusForSqlState(err.code, authenticated);
  return {
    status,
    body: {
      code: err.code,
      message: err.message,
      details: err.detail ?? null,
      hint: err.hint ?? null,
    },
    headers: authenticateHeader(status),
  };
}

/** An error produced by the gateway itself, in PostgREST's shape. */
export function pgrstError(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  hint: string | null = null,
  headers: Record<string, string> = {},
): MappedError {
  return { status, body: { code, message, details, hint }, headers };
}

/** 401 for a JWT that failed verification (PGRST301 invalid / PGRST303 expired). */
export function jwtError(code: 'PGRST301' | 'PGRST303', message: string): MappedError {
  return pgrstError(401, code, message, null, null, authenticateHeader(401, 'invalid_token', message));
}

/**
 * The database could not be reached (refused, reset, terminated, timed out).
 * PostgREST answers these with 503 PGRST000 and keeps retrying in the background.
 * `details` carries the driver's one-line reason (no stack) to help local debugging.
 */
export function connectionError(err: unknown): MappedError {
  const reason = err instanceof Error ? err.message : String(err);
  return pgrstError(503, 'PGRST000', 'Database connection error. Retrying the connection.', reason.split('\n')[0] ?? null);
}

/**
 * Map anything a database operation threw: server errors through the SQLSTATE
 * table; anything else from the driver (refused, reset, terminated, pool
 * timeout) is a connection problem. Never leaks stacks.
 */
export function mapDbError(err: unknown, opts: { role: string | null; anonRole?: string }): MappedError {
  if (isDatabaseError(err)) return mapPgError(err, opts);
  return connectionError(err);
}

/** A bug in the gateway itself: say so without any internals. */
export function internalError(): MappedError {
  return pgrstError(500, 'PGRSTX00', 'Internal error in the local RPC gateway');
}
