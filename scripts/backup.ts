// npm run -s backup -- [--db-url URL] [--file PATH]
// A data backup of our schemas (public, private, supabase_migrations) that any psql restores,
// taken with psql's COPY, which works against every server major — the release checklist's
// step 1, for the PostgreSQL 17 Supabase runs (Debian's pg_dump 15 refuses it).
// Restore: into a database migrated to the versions listed in the file, with empty tables:
//   psql "$URL" -f backup.sql
// Exit 0 written, 2 nothing written (usage, connection).
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dbUrlFrom, parseArgs } from './ops/cli-args.ts';
import { EXIT_OK, OperatorError, runCli } from './ops/cli-main.ts';
import { connectDatabase, describeTarget, oneLine } from './ops/connect.ts';
import { backupPsqlScript, tablesInDependencyOrder } from './ops/backup-script.ts';

const USAGE = 'npm run -s backup -- [--db-url URL] [--file PATH]';
const DETAILS = `A consistent data backup of public, private and supabase_migrations (COPY blocks, restorable with psql
into a database migrated to the versions listed at its top). Works against any PostgreSQL major.
  --db-url URL   the database (default: $SUPABASE_DB_URL)
  --file PATH    where to write (default: backup-<UTC time>.sql)
  --help, -h     this text`;

runCli('backup', USAGE, async () => {
  const { values } = parseArgs(process.argv.slice(2), { values: ['db-url', 'file'], flags: [] });
  const url = dbUrlFrom(values);
  const file = values.file ?? `backup-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.sql`;
  const client = await connectDatabase(url, 'clinic-booking backup');
  let script: string;
  try {
    const { rows: [server] } = await client.query<{ version: string }>(`select pg_catalog.current_setting('server_version') as version`);
    const tables = await tablesInDependencyOrder(client);
    script = backupPsqlScript(tables, [`clinic-booking data backup of ${describeTarget(url)}, PostgreSQL ${server?.version ?? '?'}, ${new Date().toISOString()}`]);
  } finally {
    await client.end().catch(() => undefined);
  }

  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 }); // clinics' personal data
  // The password goes through the environment, not the process list.
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  const psql = spawn('psql', ['-X', '-q', '-d', target.toString()], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  });
  let stderr = '';
  psql.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  psql.stdout.pipe(out);
  psql.stdin.on('error', () => undefined);
  psql.stdin.end(script);
  const [code] = (await once(psql, 'close')) as [number | null];
  await new Promise<void>((resolve) => { out.end(resolve); });
  if (code !== 0) {
    rmSync(partial, { force: true });
    throw new OperatorError(`backup of ${describeTarget(url)} failed, nothing written: ${oneLine(stderr.trim() || `psql exited ${code}`)}`);
  }
  renameSync(partial, file);
  process.stdout.write(`backup of ${describeTarget(url)} written to ${file}\n`);
  return EXIT_OK;
}, DETAILS);
