// Command-line options of the release scripts (validate, audit, rollback), parsed by Node's own
// node:util parseArgs (strict): `--name value`, `--name=value` and boolean `--flag`. Anything
// else is a usage error, never silently ignored. `--help`/`-h` is every script's.
import { parseArgs as parseNodeArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ArgSpec<V extends string, F extends string> {
  values: readonly V[];
  flags: readonly F[];
}

export interface ParsedArgs<V extends string, F extends string> {
  values: Partial<Record<V, string>>;
  flags: Record<F, boolean>;
}

/** `--help` or `-h` anywhere: print usage and exit 0, whatever else is on the line. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

/** node:util's messages, reduced to ours (one short line naming the option). */
function usageErrorOf(error: unknown, argv: readonly string[]): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(--?[a-z][a-z0-9-]*)/i.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${option ?? message}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const stray = /'([^']*)'/.exec(message)?.[1] ?? argv.find((a) => !a.startsWith('-')) ?? '';
      return new UsageError(`unexpected argument ${JSON.stringify(stray)}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(/does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`);
    default:
      return new UsageError(message);
  }
}

export function parseArgs<V extends string, F extends string>(
  argv: readonly string[],
  spec: ArgSpec<V, F>,
): ParsedArgs<V, F> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const name of spec.values) options[name] = { type: 'string' };
  for (const name of spec.flags) options[name] = { type: 'boolean' };
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw usageErrorOf(error, argv);
  }
  const values: Partial<Record<V, string>> = {};
  for (const name of spec.values) {
    const value = parsed.values[name];
    if (typeof value !== 'string') continue;
    // `--db-url --json` would take "--json" as the URL; an empty value is a forgotten variable.
    if (value === '' || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    values[name] = value;
  }
  const flags = Object.fromEntries(spec.flags.map((f) => [f, parsed.values[f] === true])) as Record<F, boolean>;
  return { values, flags };
}

/**
 * `--db-url`, or SUPABASE_DB_URL from the environment so the password need not appear in the
 * shell history or the process list.
 */
export function dbUrlFrom(values: { 'db-url'?: string | undefined }, env: NodeJS.ProcessEnv = process.env): string {
  const url = values['db-url'] ?? env.SUPABASE_DB_URL;
  if (!url) throw new UsageError('--db-url URL is required (or set SUPABASE_DB_URL)');
  return url;
}
