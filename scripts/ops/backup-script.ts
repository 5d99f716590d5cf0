// The psql script of a data backup: a consistent snapshot (one repeatable-read, read-only
// transaction) of every table of our schemas as COPY blocks, in foreign-key order, with the
// sequences' positions and the applied migration versions. COPY's text format is the same in
// every PostgreSQL major, so a psql of any version backs up a server of any version — unlike
// pg_dump, which refuses a server newer than itself (Debian 12 ships no pg_dump 17).
// The schema is not in the backup: it is the migrations (their versions are listed in it).
import type pg from 'pg';

/** Data of these schemas; the schema itself (and supabase_migrations) comes from the migrations. */
export const BACKUP_SCHEMAS = ['public', 'private'] as const;

interface TableRow { relation: string; columns: string; oid: number; depends_on: number[] }

/** Our tables, parents before children, each with its copyable columns (no generated ones). */
export async function tablesInDependencyOrder(client: pg.ClientBase): Promise<Array<{ relation: string; columns: string }>> {
  const { rows } = await client.query<TableRow>(`
    select c.oid::int as oid,
           format('%I.%I', n.nspname, c.relname) as relation,
           (select string_agg(format('%I', a.attname), ', ' order by a.attnum)
              from pg_catalog.pg_attribute a
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
           coalesce((select array_agg(distinct co.confrelid::int) from pg_catalog.pg_constraint co
                      where co.conrelid = c.oid and co.contype = 'f' and co.confrelid <> c.oid), '{}') as depends_on
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any($1) and c.relkind in ('r', 'p') and not c.relispartition
     order by n.nspname, c.relname`, [BACKUP_SCHEMAS]);
  const byOid = new Map(rows.map((r) => [r.oid, r]));
  const ordered: TableRow[] = [];
  const visiting = new Set<number>();
  const visit = (row: TableRow): void => {
    if (ordered.includes(row) || visiting.has(row.oid)) return;
    visiting.add(row.oid);
    for (const parent of row.depends_on) { const p = byOid.get(parent); if (p) visit(p); }
    ordered.push(row);
  };
  rows.forEach(visit);
  return ordered.map(({ relation, columns }) => ({ relation, columns }));
}

const quoteForEcho = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function backupPsqlScript(tables: ReadonlyArray<{ relation: string; columns: string }>, header: readonly string[]): string {
  const lines = [
    '\\set ON_ERROR_STOP 1',
    '\\pset tuples_only on',
    '\\pset format unaligned',
    'begin transaction isolation level repeatable read read only;',
    ...header.map((h) => `\\echo ${quoteForEcho(`-- ${h}`)}`),
    `\\echo ${quoteForEcho('\\set ON_ERROR_STOP 1')}`,
    `\\echo ${quoteForEcho('begin;')}`,
    // Restoring into another schema version would load columns into the wrong places: refuse.
    `select format($g$do $do$ begin
  if (select pg_catalog.string_agg(version, ' ' order by version) from supabase_migrations.schema_migrations) is distinct from %L then
    raise exception 'restore into a database migrated to exactly these versions: %s';
  end if;
end $do$;$g$, v, v) from (select pg_catalog.string_agg(version, ' ' order by version) as v from supabase_migrations.schema_migrations) m;`,
  ];
  for (const { relation, columns } of tables) {
    lines.push(`\\echo ${quoteForEcho(`copy ${relation} (${columns}) from stdin;`)}`);
    lines.push(`copy ${relation} (${columns}) to stdout;`);
    lines.push(`\\echo ${quoteForEcho('\\.')}`);
  }
  // Sequences (identity and serial columns) continue where they were.
  lines.push(`select format('select pg_catalog.setval(%L, %s, %s);', format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value),
      -- a boolean formats as t/f, which setval would read as column names
      case when last_value is not null then 'true' else 'false' end)
      from pg_catalog.pg_sequences where schemaname = any(array[${BACKUP_SCHEMAS.map((s) => `'${s}'`).join(', ')}]);`);
  lines.push(`\\echo ${quoteForEcho('commit;')}`);
  lines.push('commit;');
  return `${lines.join('\n')}\n`;
}
