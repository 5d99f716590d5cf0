// The Docker-free local stack: private Postgres + Supabase bootstrap + migrations (real CLI) + seed.
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LOCAL_DIR, PROJECT_ROOT, SUPABASE_DIR } from './project.ts';
import { PostgresCluster, SUPERUSER, freePort } from './postgres-cluster.ts';
import { readEnvFile, writeEnvFile, type EnvMap } from './env-file.ts';
import { run } from './run.ts';
import { withLock } from './lock.ts';
import { signJwt } from './jwt.ts';
import { selectedPgMajor } from './pg-install.ts';

export interface StackPaths { dir: string; envFile: string; credentialsFile: string; clusterPath: string }

/** `dev` is the stack users run (.local/stack.env); other names are isolated stacks (tests, bench). */
export function stackPaths(name = 'dev'): StackPaths {
  const dir = name === 'dev' ? LOCAL_DIR : path.join(LOCAL_DIR, name);
  return {
    dir,
    envFile: path.join(dir, 'stack.env'),
    credentialsFile: path.join(dir, 'credentials.json'),
    clusterPath: path.join(dir, 'pg'),
  };
}

interface Credentials { superuserPassword: string; postgresPassword: string; authenticatorPassword: string; jwtSecret: string }

const secret = (): string => randomBytes(24).toString('hex');

function dbUrl(user: string, password: string, port: number, database = 'postgres'): string {
  return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

export async function psql(url: string, args: readonly string[], input?: string): Promise<string> {
  const result = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], {
    input,
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  });
  return result.stdout;
}

function log(message: string): void {
  process.stderr.write(`[stack] ${message}\n`);
}

export interface StartOptions { name?: string; fresh?: boolean }

export async function startStack(opts: StartOptions = {}): Promise<EnvMap> {
  const paths = stackPaths(opts.name);
  mkdirSync(paths.dir, { recursive: true });
  return withLock(path.join(paths.dir, '.start.lock'), async () => {
    const cluster = new PostgresCluster(paths.clusterPath);
    if (opts.fresh) {
      await cluster.destroy();
      rmSync(paths.credentialsFile, { force: true });
      rmSync(paths.envFile, { force: true });
    }
    if (cluster.initialized && cluster.major !== selectedPgMajor()) {
      // The stack holds disposable seed data: a different PG_MAJOR means a new cluster.
      log(`the cluster is PostgreSQL ${cluster.major}; PostgreSQL ${selectedPgMajor()} was asked for: recreating it`);
      await cluster.destroy();
      rmSync(paths.credentialsFile, { force: true });
      rmSync(paths.envFile, { force: true });
    }
    const current = readEnvFile(paths.envFile);
    if (current.DATABASE_URL && (await cluster.isRunning())) {
      log(`already running on port ${current.PGPORT}`);
      return current;
    }

    let credentials: Credentials;
    if (cluster.initialized && existsSync(paths.credentialsFile)) {
      credentials = JSON.parse(readFileSync(paths.credentialsFile, 'utf8')) as Credentials;
    } else {
      await cluster.destroy();
      credentials = { superuserPassword: secret(), postgresPassword: secret(), authenticatorPassword: secret(), jwtSecret: secret() };
      writeFileSync(paths.credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
      log(`initializing a new PostgreSQL ${cluster.major} cluster`);
      await cluster.init(credentials.superuserPassword);
    }

    const port = (await cluster.isRunning()) ? cluster.runningPort() ?? (await freePort()) : await startOnFreePort(cluster);
    const superuserUrl = dbUrl(SUPERUSER, credentials.superuserPassword, port);
    const databaseUrl = dbUrl('postgres', credentials.postgresPassword, port);

    await psql(superuserUrl, [
      '-v', `postgres_password=${credentials.postgresPassword}`,
      '-v', `authenticator_password=${credentials.authenticatorPassword}`,
      '-f', path.join(SUPABASE_DIR, 'bootstrap', 'local-supabase.sql'),
    ]);
    await pushMigrations(databaseUrl);
    await psql(databaseUrl, ['-f', path.join(SUPABASE_DIR, 'seed.sql')]);

    const env: EnvMap = {
      PG_MAJOR: cluster.major,
      PGPORT: String(port),
      DATABASE_URL: databaseUrl,
      SUPERUSER_URL: superuserUrl,
      AUTHENTICATOR_URL: dbUrl('authenticator', credentials.authenticatorPassword, port),
      JWT_SECRET: credentials.jwtSecret,
      ANON_KEY: await signJwt({ role: 'anon', iss: 'supabase-local' }, credentials.jwtSecret, '10y'),
      SERVICE_ROLE_KEY: await signJwt({ role: 'service_role', iss: 'supabase-local' }, credentials.jwtSecret, '10y'),
    };
    writeEnvFile(paths.envFile, env);
    log(`ready on port ${port}; settings in ${path.relative(PROJECT_ROOT, paths.envFile)}`);
    return env;
  });
}

async function startOnFreePort(cluster: PostgresCluster): Promise<number> {
  // Another stack (another clone, a test run) may take the port between probe and bind: retry.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      await cluster.start(port);
      return port;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** The real CLI applies migrations and records them in supabase_migrations.schema_migrations. */
export async function pushMigrations(databaseUrl: string): Promise<void> {
  const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'supabase');
  await run(cli, ['db', 'push', `--remote=${databaseUrl}`, '--yes'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', PGSSLMODE: 'disable' }, // loopback only
  });
}

export async function stopStack(name = 'dev', opts: { destroy?: boolean } = {}): Promise<void> {
  const paths = stackPaths(name);
  const cluster = new PostgresCluster(paths.clusterPath);
  if (opts.destroy) {
    await cluster.destroy();
    rmSync(paths.credentialsFile, { force: true });
  } else {
    await cluster.stop();
  }
  rmSync(paths.envFile, { force: true });
  log(opts.destroy ? 'stopped and removed' : 'stopped');
}

export async function stackStatus(name = 'dev'): Promise<{ running: boolean; env: EnvMap }> {
  const paths = stackPaths(name);
  const cluster = new PostgresCluster(paths.clusterPath);
  return { running: await cluster.isRunning(), env: readEnvFile(paths.envFile) };
}
