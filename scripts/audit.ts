// npm run audit -- --db-url URL [--json]
// Read-only post-deploy health checks. Exit 0 when all pass, 1 when one fails, 2 when the
// database could not be reached.
import { dbUrlFrom, parseArgs } from './ops/cli-args.ts';
import { EXIT_FAILED, EXIT_OK, runCli } from './ops/cli-main.ts';
import { connectDatabase, describeTarget } from './ops/connect.ts';
import { formatAudit, runAudit } from './ops/audit-checks.ts';

const USAGE = 'npm run -s audit -- [--db-url URL] [--json]';
const DETAILS = `Read-only post-deploy health checks.
  --db-url URL   the database (default: $SUPABASE_DB_URL), e.g. postgresql://postgres.<ref>:<password>@<host>:5432/postgres?sslmode=require
  --json         one JSON document on stdout (use npm run -s so npm prints no banner)
  --help, -h     this text

Exit codes: 0 all passed, 1 a check failed, 2 nothing ran (usage, connection).`;


runCli('audit', USAGE, async () => {
  const { values, flags } = parseArgs(process.argv.slice(2), { values: ['db-url'], flags: ['json'] });
  const url = dbUrlFrom(values);
  const client = await connectDatabase(url, 'clinic-booking audit');
  try {
    const report = await runAudit(client);
    process.stdout.write(flags.json
      ? `${JSON.stringify({ database: describeTarget(url), ...report }, null, 2)}\n`
      : `${formatAudit(report, describeTarget(url))}\n`);
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } finally {
    await client.end().catch(() => undefined);
  }
}, DETAILS);
