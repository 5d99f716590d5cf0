// npm run db:types — regenerate supabase/functions/_shared/database.types.ts from the
// running local stack (`npm run stack:start` first). Commit the result with the migration.
import { writeFileSync } from 'node:fs';
import { startStack } from './lib/stack.ts';
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from './lib/db-types.ts';

const env = await startStack();
const url = env.DATABASE_URL;
if (!url) throw new Error('stack has no DATABASE_URL');
writeFileSync(DATABASE_TYPES_FILE, await generateDatabaseTypes(url));
process.stdout.write(`wrote ${DATABASE_TYPES_FILE}\n`);
