// npm run audit -- --db-url URL [--json]
// Read-only post-deploy health checks. Exit 0 when all pass, 1 when one fails, 2 when the
// database could not be reached.
import { runCheckCli } from './ops/cli-main.ts';
import { formatAudit, runAudit } from './ops/audit-checks.ts';

const USAGE = 'npm run -s audit -- [--db-url URL] [--json]';
const DETAILS = `Read-only post-deploy health checks.
  --db-url URL   the database (default: $SUPABASE_DB_URL), e.g. postgresql://postgres.<ref>:<password>@<host>:5432/postgres?sslmode=require
  --json         one JSON document on stdout (use npm run -s so npm prints no banner)
  --help, -h     this text

Exit codes: 0 all passed, 1 a check failed, 2 nothing ran (usage, connection).`;

runCheckCli({ command: 'audit', usage: USAGE, details: DETAILS, run: runAudit, format: formatAudit });
