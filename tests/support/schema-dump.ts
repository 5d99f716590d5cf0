// Schema-only dumps for "same schema?" comparisons, taken as the superuser so nothing is
// skipped for lack of privileges.
import path from 'node:path';
import { findPgBinDir } from '../../scripts/lib/postgres-cluster.ts';
import { run } from '../../scripts/lib/run.ts';

export async function schemaDump(superuserUrl: string): Promise<string> {
  // pg_dump ≥ 15.14 writes a random `\restrict` key into every dump; a fixed key keeps two dumps
  // of the same schema byte-identical without editing their text.
  const { stdout } = await run(path.join(findPgBinDir(), 'pg_dump'), [
    '--schema-only', '--restrict-key=clinicbookingschemadump', '-d', superuserUrl,
  ]);
  return stdout;
}
