// npm run validate -- --db-url URL [--json]
// The release criteria against any database (local stack or a Supabase project), inside one
// transaction that is rolled back. Exit 0 only when all pass; 1 when one fails; 2 when the
// database could not be reached (nothing ran).
import { runCheckCli } from './ops/cli-main.ts';
import { formatValidation, runValidation } from './ops/validate-checks.ts';

const USAGE = 'npm run -s validate -- [--db-url URL] [--json]';
const DETAILS = `The six release criteria inside one transaction that is rolled back.
  --db-url URL   the database (default: $SUPABASE_DB_URL), e.g. postgresql://postgres.<ref>:<password>@<host>:5432/postgres?sslmode=require
  --json         one JSON document on stdout (use npm run -s so npm prints no banner)
  --help, -h     this text

Exit codes: 0 all passed, 1 a check failed, 2 nothing ran (usage, connection).`;

runCheckCli({ command: 'validate', usage: USAGE, details: DETAILS, run: runValidation, format: formatValidation });
