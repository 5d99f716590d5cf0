/**
 * The local PostgREST-compatible RPC gateway against a real PostgreSQL.
 *
 * Needs (from the integration global setup of the local stack):
 *   AUTHENTICATOR_URL  login role `authenticator`, member of anon/authenticated/service_role
 *   DATABASE_URL       a role that may create functions/tables in public, and roles
 *   JWT_SECRET         the HS256 secret of the stack
 *
 * Fixtures are schema-qualified `public.gw_test_*` objects created in beforeAll
 * and dropped in afterAll; the gateway runs in-process on a free port.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusForSqlState, mapPgError } from '../../scripts/gateway/postgrest-errors.ts';
import { createGateway, type Gateway } from '../../scripts/gateway/server.ts';
import { JwtVerificationError, signJwt, verifyJwt } from '../../scripts/lib/jwt.ts';

import { requireStackValue } from '../support/stack-env.ts';
import { waitFor } from '../../scripts/lib/poll.ts';
import { backendBlockedBy } from '../support/booking-lock.ts';

const AUTHENTICATOR_URL = requireStackValue('AUTHENTICATOR_URL');
const DATABASE_URL = requireStackValue('DATABASE_URL');
const JWT_SECRET = requireStackValue('JWT_SECRET');

const FAST_ROLE = 'gw_test_fast';

const FIXTURES_DROP = `
drop function if exists public.gw_test_echo(text, integer, boolean, text[], jsonb);
drop function if exists public.gw_test_private();
drop function if exists public.gw_test_raise(text);
drop function if exists public.gw_test_dup(text);
drop function if exists public.gw_test_insert(text);
drop function if exists public.gw_test_insert_then_raise(text);
drop function if exists public.gw_test_stable_write(text);
drop function if exists public.gw_test_sleep(double precision);
drop function if exists public.gw_test_void();
drop function if exists public.gw_test_add(integer, integer);
drop function if exists public.gw_test_rows(integer);
drop function if exists public.gw_test_over(integer);
drop function if exists public.gw_test_over(text);
drop function if exists public.gw_test_json_body(jsonb);
drop function if exists public.gw_test_late();
drop table if exists public.gw_test_kv;
drop table if exists public.gw_test_pwned;
`;

const FIXTURES_CREATE = `
create table public.gw_test_kv (k text primary key);
alter table public.gw_test_kv enable row level security;

-- Everything the gateway is supposed to hand to a function, echoed back.
create function public.gw_test_echo(p_text text, p_n integer, p_flag boolean default false,
                                    p_tags text[] default null, p_obj jsonb default null)
returns jsonb language sql volatile as $$
  select jsonb_build_object(
    'text', p_text, 'n', p_n, 'flag', p_flag, 'tags', to_jsonb(p_tags), 'obj', p_obj,
    'current_user', current_user::text,
    'claims', current_setting('request.jwt.claims', true)::jsonb,
    'method', current_setting('request.method', true),
    'path', current_setting('request.path', true),
    'x_test', current_setting('request.headers', true)::jsonb ->> 'x-test',
    'statement_timeout', current_setting('statement_timeout'),
    'read_only', current_setting('transaction_read_only'))
$$;

create function public.gw_test_private() returns jsonb language sql as $$
  select jsonb_build_object('ok', true, 'current_user', current_user::text)
$$;
revoke execute on function public.gw_test_private() from public, anon, authenticated;
grant execute on function public.gw_test_private() to service_role;

create function public.gw_test_raise(p_msg text) returns jsonb language plpgsql as $$
begin
  raise exception using message = p_msg, detail = 'the detail', hint = 'the hint';
end $$;

create function public.gw_test_dup(p_key text) returns jsonb
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.gw_test_kv (k) values (p_key);
  insert into public.gw_test_kv (k) values (p_key);
  return '{}'::jsonb;
end $$;

create function public.gw_test_insert(p_key text) returns jsonb
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.gw_test_kv (k) values (p_key);
  return jsonb_build_object('inserted', p_key);
end $$;

create function public.gw_test_insert_then_raise(p_key text) returns jsonb
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.gw_test_kv (k) values (p_key);
  raise exception 'failed after the insert';
end $$;

-- A stable function cannot insert itself; it writes through a volatile one,
-- which only the read-only transaction (not the volatility check) can stop.
create function public.gw_test_stable_write(p_key text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return public.gw_test_insert(p_key);
end $$;

create function public.gw_test_sleep(p_seconds double precision) returns jsonb language plpgsql as $$
begin
  perform pg_sleep(p_seconds);
  return '{"slept": true}'::jsonb;
end $$;

create function public.gw_test_void() returns void language plpgsql as $$ begin end $$;
create function public.gw_test_add(a integer, b integer) returns integer language sql immutable as $$ select a + b $$;
create function public.gw_test_rows(p_n integer) returns table (id integer, label text) language sql as $$
  select g, 'row ' || g from generate_series(1, p_n) as g
$$;
create function public.gw_test_over(p_x integer) returns text language sql as $$ select 'int' $$;
create function public.gw_test_over(p_x text) returns text language sql as $$ select 'text' $$;
create function public.gw_test_json_body(jsonb) returns jsonb language sql as $$ select $1 $$;
`;

type Json = Record<string, unknown>;

interface RpcResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

function obj(value: unknown): Json {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Json;
}

function expectPostgrestError(r: RpcResult, status: number, code: string): Json {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const body = obj(r.json);
  // Exactly PostgREST's four fields: in particular never a stack or the SQL text.
  expect(Object.keys(body).sort()).toEqual(['code', 'details', 'hint', 'message']);
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  return body;
}

/** A TCP proxy in front of Postgres that can be "unplugged", to simulate the database going away. */
async function startProxy(targetHost: string, targetPort: number) {
  let up = true;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', kill).on('close', kill);
    upstream.on('error', kill).on('close', kill);
    client.pipe(upstream);
    upstream.pipe(client);
    open.add(client);
    client.on('close', () => open.delete(client));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');
  return {
    port: address.port,
    setUp(value: boolean) {
      up = value;
      if (!value) for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function listen(gw: Gateway): Promise<string> {
  await new Promise<void>((resolve) => gw.server.listen(0, '127.0.0.1', resolve));
  const address = gw.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('gateway has no port');
  return `http://127.0.0.1:${address.port}`;
}

describe('postgrest-errors: SQLSTATE → HTTP status (PostgREST table)', () => {
  it.each([
    ['42501', false, 401],
    ['42501', true, 403],
    ['P0001', true, 400],
    ['23505', true, 409],
    ['23503', true, 409],
    ['23502', true, 400],
    ['40001', true, 500],
    ['40P01', true, 500],
    ['08006', true, 503],
    ['57014', true, 500],
    ['42883', true, 404],
    ['42P01', true, 404],
    ['22P02', true, 400],
    ['25006', true, 405],
    ['53300', true, 503],
    ['53400', true, 500],
    ['28000', true, 403],
    ['PT402', true, 402],
    ['XX000', true, 500],
    ['P0002', true, 500],
    ['42703', true, 400],
  ])('%s (authenticated=%s) → %i', (state, authed, status) => {
    expect(httpStatusForSqlState(state, authed)).toBe(status);
  });

  it('copies message/detail/hint only and sends WWW-Authenticate on 401', () => {
    const mapped = mapPgError({ code: '42501', message: 'permission denied for function f', detail: 'd', hint: 'h', severity: 'ERROR' }, { role: 'anon' });
    expect(mapped).toEqual({
      status: 401,
      body: { code: '42501', message: 'permission denied for function f', details: 'd', hint: 'h' },
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  });
});

describe('jwt', () => {
  const secret = 'a-test-secret-that-is-at-least-32-characters';

  it('round-trips HS256 claims', async () => {
    const token = await signJwt({ role: 'anon', iss: 'supabase-local' }, secret);
    const claims = await verifyJwt(token, secret);
    expect(claims).toMatchObject({ role: 'anon', iss: 'supabase-local' });
    expect(typeof claims.exp).toBe('number');
  });

  it('tells expired (PGRST303) from invalid (PGRST301)', async () => {
    const expired = await signJwt({ role: 'anon', exp: Math.floor(Date.now() / 1000) - 3600 }, secret);
    await expect(verifyJwt(expired, secret)).rejects.toMatchObject({ code: 'PGRST303', message: 'JWT expired' });
    const forged = await signJwt({ role: 'service_role' }, `${secret}-other`);
    await expect(verifyJwt(forged, secret)).rejects.toBeInstanceOf(JwtVerificationError);
    await expect(verifyJwt(forged, secret)).rejects.toMatchObject({ code: 'PGRST301' });
    await expect(verifyJwt('garbage', secret)).rejects.toMatchObject({ code: 'PGRST301' });
  });

  it('refuses alg=none', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role' })}.`;
    await expect(verifyJwt(unsigned, secret)).rejects.toMatchObject({ code: 'PGRST301' });
  });
});

describe('gateway over HTTP against PostgreSQL', () => {
  let admin: pg.Client;
  let gateway: Gateway;
  let base: string;
  let anonKey: string;
  let serviceKey: string;
  let userKey: string;

  async function rpc(fn: string, body: unknown, headers: Record<string, string> = {}, url = base): Promise<RpcResult> {
    const res = await fetch(`${url}/rest/v1/rpc/${encodeURIComponent(fn)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }
  const as = (key: string) => ({ apikey: key, authorization: `Bearer ${key}` });

  beforeAll(async () => {
    if (!AUTHENTICATOR_URL || !DATABASE_URL || !JWT_SECRET) {
      throw new Error('gateway.test.ts needs AUTHENTICATOR_URL, DATABASE_URL and JWT_SECRET (set by the integration global setup)');
    }
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(FIXTURES_DROP);
    await admin.query(FIXTURES_CREATE);

    // A role with a tiny statement_timeout, to see the gateway apply a role's own
    // timeout without waiting 3 s for anon's (postgres has CREATEROLE, as on Supabase).
    {
      await admin.query(`do $$ begin
        if exists (select 1 from pg_roles where rolname = '${FAST_ROLE}') then
          execute 'revoke usage on schema public from ${FAST_ROLE}';
          execute 'drop role ${FAST_ROLE}';
        end if;
      end $$`);
      await admin.query(`create role ${FAST_ROLE} nologin noinherit`);
      await admin.query(`alter role ${FAST_ROLE} set statement_timeout = '300ms'`);
      await admin.query(`grant usage on schema public to ${FAST_ROLE}`);
      await admin.query(`grant ${FAST_ROLE} to authenticator`);
    }

    anonKey = await signJwt({ role: 'anon', iss: 'supabase-local' }, JWT_SECRET);
    serviceKey = await signJwt({ role: 'service_role', iss: 'supabase-local' }, JWT_SECRET);
    userKey = await signJwt({ role: 'authenticated', sub: '11111111-1111-4111-8111-111111111111', email: 'u@example.test' }, JWT_SECRET, '1h');

    gateway = createGateway({ authenticatorUrl: AUTHENTICATOR_URL, jwtSecret: JWT_SECRET, log: false });
    base = await listen(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    if (admin) {
      await admin.query(FIXTURES_DROP);
      await admin.query(`revoke usage on schema public from ${FAST_ROLE}`);
      await admin.query(`drop role if exists ${FAST_ROLE}`);
      await admin.end();
    }
  });

  describe('routing and request shape', () => {
    it('answers health checks', async () => {
      for (const path of ['/health', '/rest/v1/']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({});
      }
    });

    it('404 PGRST125 for other paths', async () => {
      const res = await fetch(`${base}/rest/v1/leads`, { headers: as(serviceKey) });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'PGRST125' });
    });

    it('405 for non-POST on an RPC', async () => {
      const res = await fetch(`${base}/rest/v1/rpc/gw_test_echo`, { headers: as(serviceKey) });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toMatchObject({ code: 'PGRST101' });
    });

    it('400 PGRST102 for a body that is not JSON, or not an object', async () => {
      expectPostgrestError(await rpc('gw_test_echo', 'not json {', as(anonKey)), 400, 'PGRST102');
      expectPostgrestError(await rpc('gw_test_echo', '[{"p_text":"a","p_n":1}]', as(anonKey)), 400, 'PGRST102');
      expectPostgrestError(await rpc('gw_test_echo', '42', as(anonKey)), 400, 'PGRST102');
    });

    it('413 for a body over the limit (default 1 MiB)', async () => {
      const r = await rpc('gw_test_echo', { p_text: 'x'.repeat(1024 * 1024 + 10), p_n: 1 }, as(anonKey));
      expectPostgrestError(r, 413, 'PGRST102');
    });

    it('treats an empty body as no arguments', async () => {
      const r = await rpc('gw_test_void', '', as(anonKey));
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
    });
  });

  describe('calling functions', () => {
    it('passes named arguments in any order, with defaults, arrays, json and null', async () => {
      const r = await rpc(
        'gw_test_echo',
        { p_obj: { a: [1, 'two', null], 'quote"d': "it's" }, p_tags: ['a', 'b"c', 'd\\e', null], p_n: 42, p_text: 'héllo' },
        as(anonKey),
      );
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(r.json).toMatchObject({
        text: 'héllo',
        n: 42,
        flag: false,
        tags: ['a', 'b"c', 'd\\e', null],
        obj: { a: [1, 'two', null], 'quote"d': "it's" },
      });
      const withNull = await rpc('gw_test_echo', { p_text: null, p_n: 1, p_flag: true }, as(anonKey));
      expect(withNull.json).toMatchObject({ text: null, n: 1, flag: true });
    });

    it('passes values only as parameters (SQL in a value is just text)', async () => {
      const evil = "'); drop table public.gw_test_kv; --";
      const r = await rpc('gw_test_echo', { p_text: evil, p_n: 1 }, as(anonKey));
      expect(r.status).toBe(200);
      expect(obj(r.json).text).toBe(evil);
      const still = await admin.query("select to_regclass('public.gw_test_kv') is not null as ok");
      expect(still.rows[0]).toEqual({ ok: true });
    });

    it('rejects a value of the wrong type like PostgreSQL does (22P02 → 400)', async () => {
      const body = expectPostgrestError(await rpc('gw_test_echo', { p_text: 'a', p_n: 'nope' }, as(anonKey)), 400, '22P02');
      expect(body.message).toMatch(/integer/);
    });

    it('returns scalars, sets and void like PostgREST', async () => {
      const add = await rpc('gw_test_add', { a: 2, b: 3 }, as(anonKey));
      expect(add.status).toBe(200);
      expect(add.json).toBe(5);
      const rows = await rpc('gw_test_rows', { p_n: 2 }, as(anonKey));
      expect(rows.json).toEqual([
        { id: 1, label: 'row 1' },
        { id: 2, label: 'row 2' },
      ]);
      const none = await rpc('gw_test_rows', { p_n: 0 }, as(anonKey));
      expect(none.json).toEqual([]);
      const v = await rpc('gw_test_void', {}, as(anonKey));
      expect(v.status).toBe(204);
    });

    it('passes the whole body to a single unnamed jsonb parameter', async () => {
      const r = await rpc('gw_test_json_body', { anything: [1, 2] }, as(anonKey));
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ anything: [1, 2] });
    });

    it('300 PGRST203 when overloads cannot be told apart', async () => {
      expectPostgrestError(await rpc('gw_test_over', { p_x: 1 }, as(anonKey)), 300, 'PGRST203');
    });

    it('sees a function created after the gateway started', async () => {
      await rpc('gw_test_add', { a: 1, b: 1 }, as(anonKey)); // make sure the catalog is cached
      await admin.query("create function public.gw_test_late() returns text language sql as $$ select 'late' $$");
      await new Promise((r) => setTimeout(r, 300));
      const r = await rpc('gw_test_late', {}, as(anonKey));
      expect(r.status).toBe(200);
      expect(r.json).toBe('late');
    });

    it('serves concurrent requests from the pool', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => rpc('gw_test_add', { a: i, b: 1 }, as(anonKey))));
      expect(results.map((r) => r.json)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    });
  });

  describe('PGRST202: function and argument names are checked against the catalog', () => {
    it('404 for an unknown function', async () => {
      const body = expectPostgrestError(await rpc('gw_test_nope', { a: 1 }, as(anonKey)), 404, 'PGRST202');
      expect(body.message).toBe('Could not find the function public.gw_test_nope(a) in the schema cache');
    });

    it('404 for an unknown argument name', async () => {
      const body = expectPostgrestError(await rpc('gw_test_echo', { p_text: 'a', p_n: 1, p_bogus: 1 }, as(anonKey)), 404, 'PGRST202');
      expect(body.message).toBe('Could not find the function public.gw_test_echo(p_bogus, p_n, p_text) in the schema cache');
      expect(body.hint).toMatch(/^Perhaps you meant to call the function public\.gw_test_echo\(/);
    });

    it('404 for a missing required argument', async () => {
      expectPostgrestError(await rpc('gw_test_echo', { p_text: 'a' }, as(anonKey)), 404, 'PGRST202');
    });

    it('404 for SQL-injection-looking names, without executing anything', async () => {
      const injections: Array<[string, Json]> = [
        [`gw_test_echo"(p_text := 'a', p_n := 1); create table public.gw_test_pwned(); --`, {}],
        ['gw_test_echo', { [`p_text" := 'a', "p_n" := 1); create table public.gw_test_pwned(); --`]: 1 }],
        ['gw_test_echo', { p_text: 'a', 'p_n := 1); create table public.gw_test_pwned(); --': 1 }],
        ['gw_test_add(1,1); create table public.gw_test_pwned(); --', {}],
      ];
      for (const [fn, body] of injections) {
        expectPostgrestError(await rpc(fn, body, as(serviceKey)), 404, 'PGRST202');
      }
      const pwned = await admin.query("select to_regclass('public.gw_test_pwned') as t");
      expect(pwned.rows[0]).toEqual({ t: null });
    });
  });

  describe('authentication and roles', () => {
    it('401 without apikey or Authorization', async () => {
      const r = await rpc('gw_test_echo', { p_text: 'a', p_n: 1 });
      expectPostgrestError(r, 401, 'PGRST301');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('401 PGRST301 for a bad signature, garbage, or alg=none', async () => {
      const forged = await signJwt({ role: 'service_role' }, `${JWT_SECRET}-not-it`);
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role' })}.`;
      for (const token of [forged, 'not-a-jwt', unsigned]) {
        const r = await rpc('gw_test_private', {}, as(token));
        expectPostgrestError(r, 401, 'PGRST301');
        expect(r.headers.get('www-authenticate')).toMatch(/invalid_token/);
      }
    });

    it('401 PGRST303 for an expired token', async () => {
      const expired = await signJwt({ role: 'service_role', exp: Math.floor(Date.now() / 1000) - 3600 }, JWT_SECRET);
      const body = expectPostgrestError(await rpc('gw_test_private', {}, as(expired)), 401, 'PGRST303');
      expect(body.message).toBe('JWT expired');
    });

    it('accepts the key in apikey alone, and prefers Authorization over apikey', async () => {
      const onlyApikey = await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, { apikey: anonKey });
      expect(obj(onlyApikey.json).current_user).toBe('anon');
      const both = await rpc('gw_test_private', {}, { apikey: anonKey, authorization: `Bearer ${serviceKey}` });
      expect(both.status).toBe(200);
      expect(both.json).toEqual({ ok: true, current_user: 'service_role' });
    });

    it('refuses roles other than anon/authenticated/service_role, and tokens without a role', async () => {
      const superuser = await signJwt({ role: 'postgres' }, JWT_SECRET);
      expectPostgrestError(await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, as(superuser)), 403, '42501');
      const authenticator = await signJwt({ role: 'authenticator' }, JWT_SECRET);
      expectPostgrestError(await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, as(authenticator)), 403, '42501');
      const roleless = await signJwt({ sub: 'x' }, JWT_SECRET);
      expectPostgrestError(await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, as(roleless)), 401, 'PGRST301');
    });

    it('switches to the JWT role and exposes claims and request settings', async () => {
      for (const [key, role] of [
        [anonKey, 'anon'],
        [userKey, 'authenticated'],
        [serviceKey, 'service_role'],
      ] as const) {
        const r = await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, { ...as(key), 'X-Test': 'header-value' });
        expect(r.status).toBe(200);
        const body = obj(r.json);
        expect(body.current_user).toBe(role);
        expect(obj(body.claims).role).toBe(role);
        expect(body.method).toBe('POST');
        expect(body.path).toBe('/rpc/gw_test_echo');
        expect(body.x_test).toBe('header-value');
      }
      const user = obj((await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, as(userKey))).json);
      expect(obj(user.claims)).toMatchObject({ sub: '11111111-1111-4111-8111-111111111111', email: 'u@example.test' });
    });

    it('function privileges: anon 401 / authenticated 403 with 42501, service_role 200', async () => {
      const anon = await rpc('gw_test_private', {}, as(anonKey));
      const anonBody = expectPostgrestError(anon, 401, '42501');
      expect(anonBody.message).toMatch(/permission denied for function gw_test_private/);
      expect(anon.headers.get('www-authenticate')).toBe('Bearer');
      expectPostgrestError(await rpc('gw_test_private', {}, as(userKey)), 403, '42501');
      const service = await rpc('gw_test_private', {}, as(serviceKey));
      expect(service.status).toBe(200);
      expect(service.json).toEqual({ ok: true, current_user: 'service_role' });
    });

    it("applies the role's own statement_timeout", async () => {
      const configured = await admin.query<{ v: string | null }>(
        `select (select split_part(c, '=', 2) from unnest(r.rolconfig) c where c like 'statement_timeout=%') as v
           from pg_roles r where r.rolname = 'anon'`,
      );
      const expected = configured.rows[0]?.v;
      const body = obj((await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, as(anonKey))).json);
      expect(expected).toBe('3s');
      expect(body.statement_timeout).toBe(expected);
    });

    it('a statement over the role timeout is cancelled: 57014 → 500', async () => {
      const fast = createGateway({
        authenticatorUrl: AUTHENTICATOR_URL,
        jwtSecret: JWT_SECRET,
        allowedRoles: ['anon', 'authenticated', 'service_role', FAST_ROLE],
        log: false,
      });
      try {
        const url = await listen(fast);
        const key = await signJwt({ role: FAST_ROLE }, JWT_SECRET);
        const started = Date.now();
        const body = expectPostgrestError(await rpc('gw_test_sleep', { p_seconds: 5 }, as(key), url), 500, '57014');
        expect(body.message).toMatch(/statement timeout/);
        expect(Date.now() - started).toBeLessThan(4000);
        const ok = await rpc('gw_test_sleep', { p_seconds: 0 }, as(key), url);
        expect(ok.json).toEqual({ slept: true });
      } finally {
        await fast.close();
      }
    });
  });

  describe('errors and transactions', () => {
    it('RAISE (P0001) → 400 with message, details and hint', async () => {
      const body = expectPostgrestError(await rpc('gw_test_raise', { p_msg: 'nope, not today' }, as(anonKey)), 400, 'P0001');
      expect(body).toEqual({ code: 'P0001', message: 'nope, not today', details: 'the detail', hint: 'the hint' });
    });

    it('unique violation (23505) → 409', async () => {
      const body = expectPostgrestError(await rpc('gw_test_dup', { p_key: 'dup' }, as(serviceKey)), 409, '23505');
      expect(body.details).toMatch(/already exists/);
    });

    it('commits on success and rolls back on error', async () => {
      expect((await rpc('gw_test_insert', { p_key: 'kept' }, as(serviceKey))).status).toBe(200);
      expectPostgrestError(await rpc('gw_test_insert_then_raise', { p_key: 'rolled-back' }, as(serviceKey)), 400, 'P0001');
      const rows = await admin.query<{ k: string }>('select k from public.gw_test_kv order by k');
      expect(rows.rows.map((r) => r.k)).toEqual(['kept']);
    });

    it('runs stable functions read-only, like PostgREST (25006 → 405)', async () => {
      expectPostgrestError(await rpc('gw_test_stable_write', { p_key: 'ro' }, as(serviceKey)), 405, '25006');
      const echo = obj((await rpc('gw_test_echo', { p_text: 'a', p_n: 1 }, as(anonKey))).json);
      expect(echo.read_only).toBe('off');
    });
  });

  describe('a full pool', () => {
    it('is answered like PostgREST: 504 PGRST003 after the acquisition timeout, not 503 "database unreachable"', async () => {
      const small = createGateway({ authenticatorUrl: AUTHENTICATOR_URL, jwtSecret: JWT_SECRET, log: false, poolSize: 1, connectionTimeoutMs: 300 });
      try {
        const url = await listen(small);
        expect((await rpc('gw_test_add', { a: 1, b: 2 }, as(serviceKey), url)).json).toBe(3); // the one connection exists
        // The only connection waits on a row our own transaction has not committed yet.
        const blocker = new pg.Client({ connectionString: DATABASE_URL });
        await blocker.connect();
        try {
          await blocker.query('begin');
          await blocker.query("insert into public.gw_test_kv (k) values ('pool-block')");
          const blockerPid = (await blocker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
          const busy = rpc('gw_test_insert', { p_key: 'pool-block' }, as(serviceKey), url);
          await waitFor(() => backendBlockedBy(admin, blockerPid ?? -1), { what: 'the only connection to wait on the row', timeoutMs: 3000 });
          const queued = await rpc('gw_test_add', { a: 1, b: 2 }, as(serviceKey), url);
          expectPostgrestError(queued, 504, 'PGRST003');
          await blocker.query('rollback');
          expect((await busy).status).toBe(200);
        } finally {
          await blocker.end();
          await admin.query("delete from public.gw_test_kv where k = 'pool-block'");
        }
        expect((await rpc('gw_test_add', { a: 2, b: 2 }, as(serviceKey), url)).json).toBe(4);
      } finally {
        await small.close();
      }
    });
  });

  describe('database outages', () => {
    it('503 PGRST000 while the database is unreachable, and recovers without a restart', async () => {
      const target = new URL(AUTHENTICATOR_URL);
      const proxy = await startProxy(target.hostname || '127.0.0.1', Number(target.port || 5432));
      const viaProxy = new URL(AUTHENTICATOR_URL);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const gw = createGateway({ authenticatorUrl: viaProxy.toString(), jwtSecret: JWT_SECRET, log: false, connectionTimeoutMs: 1000 });
      try {
        const url = await listen(gw);
        const call = () => rpc('gw_test_add', { a: 1, b: 2 }, as(anonKey), url);
        expect((await call()).json).toBe(3);

        proxy.setUp(false);
        const down = await call();
        const body = expectPostgrestError(down, 503, 'PGRST000');
        expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames

        proxy.setUp(true);
        expect((await call()).json).toBe(3);
        expect((await call()).json).toBe(3);
      } finally {
        await gw.close();
        await proxy.close();
      }
    }, 20_000);
  });
});
