// A private PostgreSQL cluster under .local/: initdb once, start on a free loopback port, stop.
import { existsSync, mkdirSync, writeFileSync, rmSync, symlinkSync, lstatSync, appendFileSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createHash } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run, runAsDbOwner, isRoot } from './run.ts';
import { clusterMajor, isPgMajor, selectedPgMajor, serverBinDir, type PgMajor } from './pg-install.ts';

export const SUPERUSER = 'supabase_admin';

/** Client tools (pg_dump, pgbench): Debian's, whichever major the server runs. */
export function findPgBinDir(): string {
  const candidates = [process.env.PG_BINDIR, ...[17, 16, 15].map((v) => `/usr/lib/postgresql/${v}/bin`)];
  for (const dir of candidates) {
    if (dir && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error('PostgreSQL server binaries not found (install postgresql-15, or set PG_BINDIR)');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PostgresCluster {
  constructor(readonly linkPath: string) {}

  /** The major of an existing cluster (its PG_VERSION), else the one PG_MAJOR / config.toml selects. */
  get major(): PgMajor {
    const existing = clusterMajor(this.dataDir);
    if (existing === undefined) return selectedPgMajor();
    if (!isPgMajor(existing)) throw new Error(`the cluster in ${this.dataDir} is PostgreSQL ${existing}, which this stack does not run`);
    return existing;
  }

  /** Server binaries of this cluster's major. */
  get bin(): string {
    return serverBinDir(this.major);
  }

  /**
   * Holds data/ and postgres.log; owned by the OS user that runs postgres. Resolved through
   * the link, because that user may not be allowed to walk the path the link sits on.
   */
  get home(): string {
    return existsSync(this.linkPath) ? realpathSync(this.linkPath) : this.linkPath;
  }

  get dataDir(): string { return path.join(this.home, 'data'); }
  get logFile(): string { return path.join(this.home, 'postgres.log'); }
  get initialized(): boolean { return existsSync(path.join(this.dataDir, 'PG_VERSION')); }

  private pg(tool: string): string { return path.join(this.bin, tool); }

  /**
   * As root, postgres runs as the `postgres` OS user, which may not be able to reach a project
   * checked out under a private directory (mktemp -d is 0700). Then the cluster lives in a
   * postgres-owned directory under the system temp dir and `.local/.../pg` links to it.
   */
  async prepareHome(): Promise<void> {
    if (existsSync(this.linkPath)) return;
    mkdirSync(path.dirname(this.linkPath), { recursive: true });
    if (!isRoot()) {
      mkdirSync(this.linkPath, { mode: 0o700 });
      return;
    }
    mkdirSync(this.linkPath, { mode: 0o700 });
    await run('chown', ['postgres:postgres', this.linkPath]);
    const reachable = await run('runuser', ['-u', 'postgres', '--', 'test', '-w', this.linkPath], { allowFailure: true });
    if (reachable.code === 0) return;
    rmSync(this.linkPath, { recursive: true, force: true });
    const hash = createHash('sha256').update(this.linkPath).digest('hex').slice(0, 12);
    const outside = path.join(os.tmpdir(), `clinic-booking-pg-${hash}`);
    rmSync(outside, { recursive: true, force: true });
    mkdirSync(outside, { mode: 0o700 });
    await run('chown', ['postgres:postgres', outside]);
    symlinkSync(outside, this.linkPath);
  }

  async init(superuserPassword: string): Promise<void> {
    await this.prepareHome();
    const pwfile = path.join(this.home, 'initdb.pw');
    writeFileSync(pwfile, `${superuserPassword}\n`, { mode: 0o600 });
    if (isRoot()) await run('chown', ['postgres:postgres', pwfile]);
    try {
      await runAsDbOwner(this.pg('initdb'), [
        '-D', this.dataDir, '-U', SUPERUSER, `--pwfile=${pwfile}`,
        '--auth-host=scram-sha-256', '--auth-local=peer', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions',
      ]);
    } finally {
      rmSync(pwfile, { force: true });
    }
    // Loopback TCP only (no unix socket to collide with another cluster), durable defaults so
    // benchmarks measure what production pays, and pg_stat_statements for profiling.
    appendFileSync(path.join(this.dataDir, 'postgresql.conf'), [
      '',
      '# clinic-booking local stack',
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      'max_connections = 300',
      "shared_preload_libraries = 'pg_stat_statements'",
      "timezone = 'UTC'",
      "log_timezone = 'UTC'",
      'log_min_messages = warning',
      "log_line_prefix = '%m [%p] %u@%d '",
      '',
    ].join('\n'));
  }

  async isRunning(): Promise<boolean> {
    if (!this.initialized) return false;
    const status = await runAsDbOwner(this.pg('pg_ctl'), ['status', '-D', this.dataDir], { allowFailure: true });
    return status.code === 0;
  }

  /** The port of the running server, read from postmaster.pid (line 4). */
  runningPort(): number | undefined {
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return undefined;
    const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  }

  async start(port: number): Promise<void> {
    await runAsDbOwner(this.pg('pg_ctl'), [
      'start', '-D', this.dataDir, '-w', '-t', '60', '-l', this.logFile, '-o', `-p ${port}`,
    ]);
  }

  async stop(): Promise<void> {
    if (!(await this.isRunning())) return;
    await runAsDbOwner(this.pg('pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'fast', '-w', '-t', '60']);
  }

  /** Removes the cluster (and the directory a root run keeps outside the project). */
  async destroy(): Promise<void> {
    await this.stop();
    if (!existsSync(this.linkPath) && !isSymlink(this.linkPath)) return;
    if (isSymlink(this.linkPath)) {
      const target = path.resolve(path.dirname(this.linkPath), readlinkSync(this.linkPath));
      rmSync(target, { recursive: true, force: true });
    }
    rmSync(this.linkPath, { recursive: true, force: true });
  }
}

function isSymlink(p: string): boolean {
  try { return lstatSync(p).isSymbolicLink(); } catch { return false; }
}
