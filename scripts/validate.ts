// npm run validate -- --db-url URL [--json]
// The four release criteria against any database (local stack or a Supabase project), inside one
// transaction that is rolled back. Exit 0 only when all pass; 1 when one fails; 2 when the
// database could not be reached (nothing ran).
import { dbUrlFrom, parseArgs } from './ops/cli-args.ts';
import { EXIT_FAILED, EXIT_OK, runCli } from './ops/cli-main.ts';
import { connectDatabase, describeTarget } from './ops/connect.ts';
import { formatValidation, runValidation } from './ops/validate-checks.ts';

const USAGE = 'npm run -s validate -- [--db-url URL] [--json]';
const DETAILS = `The four release criteria inside one transaction that is rolled back.
  --db-url URL   the database (default: $SUPABASE_DB_URL), e.g. postgresql://postgres.<ref>:<password>@<host>:5432/postgres?sslmode=require
  --json         one JSON document on stdout (use npm run -s so npm prints no banner)
  --help, -h     this text

Exit codes: 0 all passed, 1 a check failed, 2 nothing ran (usage, connection).`;


runCli('validate', USAGE, async () => {
  const { values, flags } = parseArgs(process.argv.slice(2), { values: ['db-url'], flags: ['json'] });
  const url = dbUrlFrom(values);
  const client = await connectDatabase(url, 'clinic-booking validate');
  try {
    const report = await runValidation(client);
    process.stdout.write(flags.json
      ? `${JSON.stringify({ database: describeTarget(url), ...report }, null, 2)}\n`
      : `${formatValidation(report, describeTarget(url))}\n`);
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } finally {
    await client.end().catch(() => undefined);
  }
}, DETAILS);
