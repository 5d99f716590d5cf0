// Savepoints let one check fail with an SQL error without aborting the checks after it, while
// everything still runs in the one transaction the caller opened.
import type pg from 'pg';

let counter = 0;

export async function inSavepoint<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  counter += 1;
  const name = `ops_check_${counter}`;
  await client.query(`savepoint ${name}`);
  try {
    const result = await fn();
    await client.query(`release savepoint ${name}`);
    return result;
  } catch (error) {
    await client.query(`rollback to savepoint ${name}`);
    throw error;
  }
}

/** The SQLSTATE of a database error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
