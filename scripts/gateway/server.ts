/**
 * A small PostgREST-compatible RPC gateway, for the local stack only.
 *
 * Production runs Supabase's real PostgREST behind its API gateway. Machines
 * without Docker cannot run that, so this reproduces the part our code relies
 * on, with the same security model:
 *
 *   POST /rest/v1/rpc/<fn>   JSON object body → public.<fn>(name := value, ...)
 *
 * Per request, in one transaction on a pooled connection opened as
 * `authenticator`: the JWT's role is assumed with `set local role`, the claims
 * are exposed as `request.jwt.claims`, the role's own statement_timeout is
 * applied, the function is called with named arguments bound as parameters,
 * then commit (or rollback and PostgREST's error JSON).
 *
 * Only what our RPCs (scalar jsonb results, scalar arguments) and supabase-js
 * use. Deliberately not implemented: GET RPC, bulk (array body) calls, empty
 * bodies, `Prefer` headers, schemas other than `public`, table endpoints,
 * set/composite/void results, array arguments, a single unnamed json
 * parameter, `request.headers`/`method`/`path`/`cookies`, health endpoints,
 * and LISTEN-based schema reloads (the function cache expires after a few
 * seconds instead, and is reloaded at once when a name is not found).
 */
import http from 'node:http';
import pg from 'pg';
import { JwtVerificationError, verifyJwt, type JwtClaims } from '../lib/jwt.ts';
import {
  connectionError,
  internalError,
  isDatabaseError,
  jwtError,
  mapDbError,
  pgrstError,
  type MappedError,
} from './postgrest-errors.ts';

export interface GatewayOptions {
  /** Connection string for the `authenticator` role (login, noinherit). */
  authenticatorUrl: string;
  /** The HS256 secret the ANON_KEY / SERVICE_ROLE_KEY were signed with. */
  jwtSecret: string;
  /** Largest accepted request body; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Connections in the pool. Default 10, PostgREST's own default `db-pool`. Keep it small and
   * honest: one clinic's stuck lock is contained by the database's per-clinic waiter cap and the
   * function's per-clinic gate, not by a pool big enough to hide it.
   */
  poolSize?: number;
  /** Roles a JWT may ask for. Default anon, authenticated, service_role. */
  allowedRoles?: readonly string[];
  /** The unauthenticated role: a 42501 under it means 401, not 403. Default 'anon'. */
  anonRole?: string;
  /** How long the function/role catalog is trusted. Default 5000 ms. */
  schemaCacheTtlMs?: number;
  /** search_path set for each request, like PostgREST's db-extra-search-path on Supabase. */
  searchPath?: readonly string[];
  /**
   * Give up after this long waiting for a pooled connection or connecting to Postgres. A full
   * pool is answered like PostgREST's `db-pool-acquisition-timeout`: 504 PGRST003; a database
   * that cannot be reached, 503 PGRST000. Default 5000 ms.
   */
  connectionTimeoutMs?: number;
  /** One line per request (method, path, status, ms) goes here; false silences. Default: stderr. */
  log?: false | ((line: string) => void);
}

export interface Gateway {
  server: http.Server;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
const DEFAULT_ROLES = ['anon', 'authenticated', 'service_role'] as const;
const SCHEMA = 'public';
/** After an oversized body, keep draining (so the client reads our 413) up to this many times the limit, then hang up. */
const DRAIN_FACTOR = 8;
/** A miss in a cache younger than this is trusted, so junk names cannot make us hammer the catalog. */
const RELOAD_ON_MISS_AFTER_MS = 250;

// ---------------------------------------------------------------------------
// Schema cache: callable functions of schema public and per-role timeouts
// ---------------------------------------------------------------------------

interface FnArg {
  /** '' when the parameter is unnamed. */
  name: string;
  /** format_type() of the declared type, used verbatim as the cast of its bind parameter. */
  type: string;
  required: boolean;
}

interface FnDef {
  name: string;
  args: FnArg[];
  /** 'i' immutable, 's' stable, 'v' volatile: non-volatile ones run read-only, like PostgREST. */
  volatility: string;
}

interface SchemaCache {
  loadedAt: number;
  functions: Map<string, FnDef[]>;
  /** Role name → its own statement_timeout (database-specific setting wins). */
  roleTimeouts: Map<string, string>;
}

interface CatalogRow {
  name: string;
  volatility: string;
  n_defaults: number;
  args: Array<{ name: string | null; type: string }>;
}

// Input arguments only (modes i/b/v); OUT/TABLE columns are part of the result.
const FUNCTIONS_SQL = `
select p.proname as name,
       p.provolatile::text as volatility,
       p.pronargdefaults::int as n_defaults,
       coalesce((
         select json_agg(json_build_object('name', a.name, 'type', pg_catalog.format_type(a.typ, null)) order by a.ord)
           from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes::text[], p.proargnames)
                with ordinality as a(typ, mode, name, ord)
          where coalesce(a.mode, 'i') in ('i', 'b', 'v')
       ), '[]'::json) as args
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
 where n.nspname = $1 and p.prokind = 'f'`;

// Database-specific settings sort after the role-wide ones so they override them.
const ROLE_SETTINGS_SQL = `
select r.rolname as role, s.setconfig as config
  from pg_catalog.pg_db_role_setting s
  join pg_catalog.pg_roles r on r.oid = s.setrole
 where s.setdatabase in (0, (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database()))
 order by s.setdatabase`;

function toFnDef(row: CatalogRow): FnDef {
  const firstOptional = row.args.length - row.n_defaults;
  return {
    name: row.name,
    volatility: row.volatility,
    args: row.args.map((a, i) => ({ name: a.name ?? '', type: a.type, required: i < firstOptional })),
  };
}

// ---------------------------------------------------------------------------
// Function resolution, as PostgREST does it for a POST with a JSON object
// ---------------------------------------------------------------------------

type Resolution =
  | { kind: 'named'; fn: FnDef }
  | { kind: 'none' }
  | { kind: 'ambiguous'; fns: FnDef[] };

function resolveFunction(candidates: readonly FnDef[], keys: readonly string[]): Resolution {
  const named = candidates.filter((fn) => {
    const names = new Set(fn.args.filter((a) => a.name !== '').map((a) => a.name));
    return keys.every((k) => names.has(k)) && fn.args.every((a) => !a.required || (a.name !== '' && keys.includes(a.name)));
  });
  if (named.length === 1 && named[0] !== undefined) return { kind: 'named', fn: named[0] };
  // Overloads are refused rather than one picked: the database keeps one function per name.
  if (named.length > 1) return { kind: 'ambiguous', fns: named };
  return { kind: 'none' };
}

function qualified(name: string): string {
  return `${SCHEMA}.${name}`;
}

function notFound(fnName: string, keys: readonly string[], candidates: readonly FnDef[]): MappedError {
  // Same wording as PostgREST 12, argument names sorted as it does.
  const sorted = [...keys].sort();
  const fn = qualified(fnName);
  const message =
    sorted.length === 0
      ? `Could not find the function ${fn} without parameters in the schema cache`
      : `Could not find the function ${fn}(${sorted.join(', ')}) in the schema cache`;
  const details =
    sorted.length === 0
      ? `Searched for the function ${fn} without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`
      : `Searched for the function ${fn} with parameters ${sorted.join(', ')} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`;
  const near = candidates[0];
  const hint =
    near === undefined
      ? null
      : `Perhaps you meant to call the function ${fn}(${near.args
          .map((a) => a.name)
          .filter((n) => n !== '')
          .sort()
          .join(', ')})`;
  return pgrstError(404, 'PGRST202', message, details, hint);
}

function ambiguous(fnName: string, fns: readonly FnDef[]): MappedError {
  const list = fns.map((f) => `${qualified(fnName)}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ');
  return pgrstError(
    300,
    'PGRST203',
    `Could not choose the best candidate function between: ${list}`,
    null,
    'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
  );
}

// ---------------------------------------------------------------------------
// SQL building: identifiers from the catalog only, values only as parameters
// ---------------------------------------------------------------------------

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The text form of a JSON value, cast in SQL to the parameter's type, so
 * PostgreSQL parses (and rejects) it exactly as it would a literal: strings as
 * text, numbers/booleans via String(), objects and arrays as JSON, null as NULL.
 */
function toParam(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface CallPlan {
  sql: string;
  params: Array<string | null>;
  readOnly: boolean;
}

function planCall(fn: FnDef, body: Record<string, unknown>): CallPlan {
  const params: Array<string | null> = [];
  const argList = fn.args
    .filter((a) => a.name !== '' && Object.prototype.hasOwnProperty.call(body, a.name))
    .map((a) => {
      params.push(toParam(body[a.name]));
      return `${quoteIdent(a.name)} := $${params.length}::${a.type}`;
    })
    .join(', ');
  // The result is serialized by PostgreSQL and passed through as text, so
  // numbers and jsonb come out exactly as PostgREST would print them.
  const sql = `select to_json(${quoteIdent(SCHEMA)}.${quoteIdent(fn.name)}(${argList}))::text as result`;
  return { sql, params, readOnly: fn.volatility !== 'v' };
}

// ---------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------

const JSON_TYPE = 'application/json; charset=utf-8';

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: http.ServerResponse, err: MappedError): void {
  send(res, err.status, JSON.stringify(err.body), err.headers);
}

/** Bearer token (preferred, it carries the user's session) else the apikey header, like supabase-js sends them. */
function extractToken(headers: http.IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^bearer\s+(\S+)\s*$/i.exec(auth.trim());
    if (m?.[1] !== undefined) return m[1];
  }
  const apikey = headers.apikey;
  if (typeof apikey === 'string' && apikey.trim() !== '') return apikey.trim();
  return null;
}

type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/**
 * Read the body up to `limit` bytes. Past the limit, stop keeping it but keep
 * draining for a while, so the client gets to read the 413 instead of a reset.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) tooLarge = true;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else if (size > limit * DRAIN_FACTOR) {
        resolve({ ok: false, tooLarge: true });
        req.destroy();
      }
    });
    req.on('end', () => resolve(tooLarge ? { ok: false, tooLarge: true } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------
// The gateway
// ---------------------------------------------------------------------------

export function createGateway(opts: GatewayOptions): Gateway {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const allowedRoles = new Set<string>(opts.allowedRoles ?? DEFAULT_ROLES);
  const anonRole = opts.anonRole ?? 'anon';
  const cacheTtl = opts.schemaCacheTtlMs ?? 5000;
  const searchPath = (opts.searchPath ?? ['public', 'extensions']).map(quoteIdent).join(', ');
  const log = opts.log === false ? () => {} : (opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  if (opts.jwtSecret === '') throw new Error('createGateway: jwtSecret must not be empty');

  const poolSize = opts.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error('createGateway: poolSize must be a positive integer');
  const pool = new pg.Pool({
    connectionString: opts.authenticatorUrl,
    max: poolSize,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'local-rpc-gateway',
  });
  // An idle connection dying (database restarted) is reported here; without a
  // listener it would crash the process. The pool drops the client by itself
  // and opens fresh ones on demand, which is how it recovers without a restart.
  pool.on('error', (err) => log(`gateway: idle database connection lost: ${err.message}`));

  // ---- schema cache ----
  let cache: SchemaCache | null = null;
  let loading: Promise<SchemaCache> | null = null;

  async function loadCache(): Promise<SchemaCache> {
    const [fns, settings] = await Promise.all([
      pool.query<CatalogRow>(FUNCTIONS_SQL, [SCHEMA]),
      pool.query<{ role: string; config: string[] | null }>(ROLE_SETTINGS_SQL),
    ]);
    const functions = new Map<string, FnDef[]>();
    for (const row of fns.rows) {
      const list = functions.get(row.name) ?? [];
      list.push(toFnDef(row));
      functions.set(row.name, list);
    }
    const roleTimeouts = new Map<string, string>();
    for (const row of settings.rows) {
      for (const entry of row.config ?? []) {
        const eq = entry.indexOf('=');
        if (eq > 0 && entry.slice(0, eq) === 'statement_timeout') roleTimeouts.set(row.role, entry.slice(eq + 1));
      }
    }
    return { loadedAt: Date.now(), functions, roleTimeouts };
  }

  function getCache(force = false): Promise<SchemaCache> {
    if (!force && cache !== null && Date.now() - cache.loadedAt < cacheTtl) return Promise.resolve(cache);
    // Concurrent requests share one catalog load.
    loading ??= loadCache()
      .then((c) => {
        cache = c;
        return c;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  // ---- one RPC ----
  type RpcOutcome = { ok: true; body: string } | { ok: false; error: MappedError };
  const fail = (error: MappedError): RpcOutcome => ({ ok: false, error });

  async function runRpc(fnName: string, body: Record<string, unknown>, role: string, claims: JwtClaims): Promise<RpcOutcome> {
    const keys = Object.keys(body);
    let schema: SchemaCache;
    try {
      schema = await getCache();
    } catch (err) {
      return fail(mapDbError(err, { role, anonRole }));
    }
    let candidates = schema.functions.get(fnName) ?? [];
    let resolution = resolveFunction(candidates, keys);
    if (resolution.kind === 'none' && Date.now() - schema.loadedAt > RELOAD_ON_MISS_AFTER_MS) {
      // Maybe the function was created since the last load (a migration just ran).
      try {
        schema = await getCache(true);
      } catch (err) {
        return fail(mapDbError(err, { role, anonRole }));
      }
      candidates = schema.functions.get(fnName) ?? [];
      resolution = resolveFunction(candidates, keys);
    }
    if (resolution.kind === 'none') return fail(notFound(fnName, keys, candidates));
    if (resolution.kind === 'ambiguous') return fail(ambiguous(fnName, resolution.fns));

    const plan = planCall(resolution.fn, body);
    const timeout = schema.roleTimeouts.get(role);
    const setupParams: Array<string | null> = [role, JSON.stringify(claims), searchPath];
    // set_config(..., true) is `set local`: everything reverts at commit/rollback,
    // so nothing leaks into the next request that reuses this connection.
    let setupSql = "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('search_path', $3, true)";
    if (timeout !== undefined) {
      // PostgREST >= 12 applies the impersonated role's own timeout (anon 3 s, authenticated 8 s on Supabase).
      setupParams.push(timeout);
      setupSql += ", set_config('statement_timeout', $4, true)";
    }
    const begin = plan.readOnly ? 'begin isolation level read committed read only' : 'begin isolation level read committed';

    // Attempt twice only when `begin` itself fails at the connection level: a
    // pooled connection can be dead (database restarted) before the pool
    // notices, and nothing has run on it yet, so a retry is safe.
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      // Every connection busy at the moment we asked: a timeout now means we queued for the pool.
      const poolWasFull = pool.totalCount >= poolSize && pool.idleCount === 0;
      try {
        client = await pool.connect();
      } catch (err) {
        if (poolWasFull && err instanceof Error && /timeout/i.test(err.message)) {
          return fail(pgrstError(504, 'PGRST003', 'Timed out acquiring connection from connection pool.'));
        }
        return fail(connectionError(err));
      }
      let destroy = false;
      let begun = false;
      try {
        await client.query(begin);
        begun = true;
        await client.query(setupSql, setupParams);
        const result = await client.query<{ result: string | null }>(plan.sql, plan.params);
        await client.query('commit');
        return { ok: true, body: result.rows[0]?.result ?? 'null' };
      } catch (err) {
        if (!isDatabaseError(err)) {
          destroy = true;
          if (!begun && attempt === 0) continue;
          return fail(connectionError(err));
        }
        // 08xxx / 57P0x: the server is dropping this connection; don't reuse it.
        if (err.code.startsWith('08') || err.code.startsWith('57P')) destroy = true;
        else {
          try {
            await client.query('rollback');
          } catch {
            destroy = true;
          }
        }
        // The function changed under us: drop the cache so the next call sees the new signature.
        if (err.code === '42883') cache = null;
        return fail(mapDbError(err, { role, anonRole }));
      } finally {
        client.release(destroy);
      }
    }
  }

  // ---- HTTP ----
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    } catch {
      return sendError(res, pgrstError(404, 'PGRST125', 'Invalid path specified in request URL'));
    }

    const m = /^\/rest\/v1\/rpc\/([^/]+)$/.exec(path);
    if (m?.[1] === undefined) return sendError(res, pgrstError(404, 'PGRST125', 'Invalid path specified in request URL'));
    let fnName: string;
    try {
      fnName = decodeURIComponent(m[1]);
    } catch {
      return sendError(res, pgrstError(404, 'PGRST125', 'Invalid path specified in request URL'));
    }
    if (method !== 'POST') {
      return sendError(
        res,
        pgrstError(405, 'PGRST101', `Cannot use the ${method} method on RPC`, null, 'The local gateway implements RPC over POST only', { Allow: 'POST' }),
      );
    }

    // ---- authentication (headers only, before reading any body) ----
    const token = extractToken(req.headers);
    if (token === null) {
      // Supabase's API gateway refuses keyless requests before PostgREST sees them.
      return sendError(
        res,
        pgrstError(401, 'PGRST301', 'No API key found in request', null, 'No `apikey` request header or url param was found.', { 'WWW-Authenticate': 'Bearer' }),
      );
    }
    let claims: JwtClaims;
    try {
      claims = await verifyJwt(token, opts.jwtSecret);
    } catch (err) {
      if (err instanceof JwtVerificationError) return sendError(res, jwtError(err.code, err.message));
      throw err;
    }
    const role = claims.role;
    if (typeof role !== 'string' || role === '') {
      return sendError(res, jwtError('PGRST301', "JWT has no 'role' claim"));
    }
    if (!allowedRoles.has(role)) {
      // What PostgreSQL itself would answer for `set role` to a role authenticator may not assume.
      return sendError(res, pgrstError(403, '42501', `permission denied to set role "${role.slice(0, 63)}"`));
    }

    // ---- body ----
    const read = await readBody(req, maxBodyBytes);
    if (!read.ok) {
      return sendError(
        res,
        pgrstError(413, 'PGRST102', `Request body larger than ${maxBodyBytes} bytes`, null, null, { Connection: 'close' }),
      );
    }
    // supabase-js always sends a JSON object of named arguments ({} for none).
    let parsed: unknown;
    try {
      parsed = JSON.parse(read.text);
    } catch {
      return sendError(res, pgrstError(400, 'PGRST102', 'Empty or invalid json'));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return sendError(res, pgrstError(400, 'PGRST102', 'The request body must be a JSON object of named arguments'));
    }

    const outcome = await runRpc(fnName, parsed as Record<string, unknown>, role, claims);
    if (outcome.ok) return send(res, 200, outcome.body);
    return sendError(res, outcome.error);
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () => {
      // Method, path (no query string), status, time: never bodies, headers or claims.
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      log(`${req.method ?? '-'} ${path} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
    });
    handle(req, res).catch((err: unknown) => {
      log(`gateway: internal error: ${err instanceof Error ? err.message : String(err)}`);
      sendError(res, internalError());
    });
  });

  let closing: Promise<void> | null = null;
  return {
    server,
    close(): Promise<void> {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          // Keep-alive sockets would otherwise hold close() open.
          server.closeIdleConnections();
        });
        await pool.end();
      })();
      return closing;
    },
  };
}
