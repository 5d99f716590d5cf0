// Command-line options of the release scripts (validate, audit, rollback): `--name value`,
// `--name=value` and boolean `--flag`. Anything else is a usage error, never silently ignored.

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

export function parseArgs<V extends string, F extends string>(
  argv: readonly string[],
  spec: ArgSpec<V, F>,
): ParsedArgs<V, F> {
  const values: Partial<Record<V, string>> = {};
  const flags = Object.fromEntries(spec.flags.map((f) => [f, false])) as Record<F, boolean>;
  const isValue = (name: string): name is V => (spec.values as readonly string[]).includes(name);
  const isFlag = (name: string): name is F => (spec.flags as readonly string[]).includes(name);

  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    if (!match || name === undefined) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const inline = match[2];
    if (isFlag(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else if (isValue(name)) {
      const value = inline ?? argv[i + 1];
      if (inline === undefined) i += 1;
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        throw new UsageError(`--${name} needs a value`);
      }
      values[name] = value;
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
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
