// What a reverse script would drop, read from its text (nothing is executed, no lock is taken):
// `drop table|function|policy|schema|view|…` and `alter table … drop column`. A dry run counts
// the rows each dropped table (or the values each dropped column) holds, i.e. the data lost.
import type pg from 'pg';

export interface Drop {
  kind: string;
  /** As written in the script, e.g. `public.leads`, `private.is_member(uuid)`, `leads_select on public.leads`. */
  name: string;
  /** For tables: the table to count rows of. For columns: the table and the column. */
  table?: string;
  column?: string;
}

function statements(sql: string): string[] {
  const withoutComments = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  return withoutComments.split(';').map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

export function dropsOf(sql: string): Drop[] {
  const drops: Drop[] = [];
  for (const statement of statements(sql)) {
    const drop = /^drop (table|function|procedure|policy|schema|view|materialized view|type|index|trigger|sequence|extension) (?:if exists )?(.+?)(?: cascade| restrict)?$/i.exec(statement);
    if (drop) {
      const kind = (drop[1] ?? '').toLowerCase();
      const name = drop[2] ?? '';
      if (kind === 'table') {
        for (const table of name.split(',').map((t) => t.trim())) drops.push({ kind, name: table, table });
      } else {
        drops.push({ kind, name });
      }
      continue;
    }
    // One alter table may drop several columns: `alter table t drop column a, drop column b`.
    const altered = /^alter table (?:if exists )?(?:only )?(\S+) (.+)$/i.exec(statement);
    if (altered) {
      const table = altered[1] ?? '';
      for (const column of (altered[2] ?? '').matchAll(/(?:^|,)\s*drop column (?:if exists )?([^\s,]+)/gi)) {
        drops.push({ kind: 'column', name: `${table}.${column[1]}`, table, column: column[1] ?? '' });
      }
    }
  }
  return drops;
}

export interface CountedDrop extends Drop {
  /** Rows (table) or non-null values (column) lost; undefined when the object is not there. */
  rows?: number;
}

/** Exact counts, read-only. Identifiers come from our own reverse scripts and are quoted. */
export async function countDrops(client: pg.ClientBase, drops: readonly Drop[]): Promise<CountedDrop[]> {
  const counted: CountedDrop[] = [];
  for (const drop of drops) {
    if (!drop.table) { counted.push(drop); continue; }
    const { rows: [target] } = await client.query<{ relation: string; col: string | null }>(
      `select format('%I.%I', n.nspname, c.relname) as relation, quote_ident($2) as col
         from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where c.oid = pg_catalog.to_regclass($1)`, [drop.table, drop.column ?? null]);
    if (!target) { counted.push(drop); continue; } // already gone
    const { rows: [count] } = await client.query<{ n: string }>(
      `select count(${target.col ?? '*'})::bigint as n from ${target.relation}`);
    counted.push({ ...drop, rows: Number(count?.n ?? 0) });
  }
  return counted;
}

export function describeDrop(drop: CountedDrop): string {
  const loss = drop.rows === undefined ? '' : drop.kind === 'column'
    ? ` (${drop.rows} value${drop.rows === 1 ? '' : 's'} lost)`
    : ` (${drop.rows} row${drop.rows === 1 ? '' : 's'} lost)`;
  return `drop ${drop.kind} ${drop.name}${loss}`;
}
