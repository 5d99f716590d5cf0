// Schema descriptions for "same schema?" comparisons, taken as the superuser so nothing is
// skipped for lack of privileges. pg_dump refuses a server newer than itself, and Debian ships
// no pg_dump 17 (the embedded 17 has server binaries only): against a newer server the
// description comes from the catalogs instead — every object pg_dump --schema-only would emit
// for our schemas (tables, columns, constraints, indexes, triggers, policies, RLS flags,
// functions with their bodies and settings, views, sequences, types, grants, default
// privileges, extensions, comments), one sorted line each.
import path from 'node:path';
import pg from 'pg';
import { findPgBinDir } from '../../scripts/lib/postgres-cluster.ts';
import { run } from '../../scripts/lib/run.ts';

const CATALOG_DESCRIPTION = `
with ns as (
  select oid, nspname from pg_catalog.pg_namespace
   where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'
)
select line from (
  select format('schema %s owner %s acl %s', n.nspname, pg_catalog.pg_get_userbyid(s.nspowner), s.nspacl) as line
    from ns n join pg_catalog.pg_namespace s on s.oid = n.oid
  union all
  select format('extension %s %s in %s', e.extname, e.extversion, n.nspname) from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
  union all
  select format('relation %s.%s kind %s owner %s rls %s/%s acl %s options %s', n.nspname, c.relname, c.relkind,
                pg_catalog.pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity, c.relacl, c.reloptions)
    from pg_catalog.pg_class c join ns n on n.oid = c.relnamespace
   where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
     and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  union all
  select format('column %s.%s.%s %s notnull %s default %s identity %s generated %s collation %s acl %s', n.nspname, c.relname, a.attname,
                pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
                a.attidentity, a.attgenerated, a.attcollation, a.attacl)
    from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid join ns n on n.oid = c.relnamespace
    left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
   where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
     and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  union all
  select format('constraint %s.%s %s %s validated %s deferrable %s', n.nspname, coalesce(c.relname, t.typname), co.conname,
                pg_catalog.pg_get_constraintdef(co.oid), co.convalidated, co.condeferrable)
    from pg_catalog.pg_constraint co join ns n on n.oid = co.connamespace
    left join pg_catalog.pg_class c on c.oid = co.conrelid left join pg_catalog.pg_type t on t.oid = co.contypid
  union all
  select format('index %s', pg_catalog.pg_get_indexdef(i.indexrelid))
    from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid join ns n on n.oid = c.relnamespace
   where not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_class'::regclass and d.objid = i.indrelid and d.deptype = 'e')
  union all
  select format('trigger %s enabled %s', pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled)
    from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid join ns n on n.oid = c.relnamespace where not t.tgisinternal
  union all
  select format('policy %s.%s %s %s %s to %s using %s check %s', p.schemaname, p.tablename, p.policyname, p.permissive, p.cmd, p.roles, p.qual, p.with_check)
    from pg_catalog.pg_policies p
  union all
  select format('function %s owner %s acl %s config %s security_definer %s volatile %s def %s', p.oid::regprocedure,
                pg_catalog.pg_get_userbyid(p.proowner), p.proacl, p.proconfig, p.prosecdef, p.provolatile,
                case when p.prokind in ('f', 'p', 'w') then pg_catalog.pg_get_functiondef(p.oid) end)
    from pg_catalog.pg_proc p join ns n on n.oid = p.pronamespace
   where not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  union all
  select format('view %s.%s %s', n.nspname, c.relname, pg_catalog.pg_get_viewdef(c.oid))
    from pg_catalog.pg_class c join ns n on n.oid = c.relnamespace where c.relkind in ('v', 'm')
  union all
  select format('sequence %s.%s %s %s %s %s %s', n.nspname, c.relname, s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax)
    from pg_catalog.pg_sequence s join pg_catalog.pg_class c on c.oid = s.seqrelid join ns n on n.oid = c.relnamespace
  union all
  select format('type %s.%s %s labels %s', n.nspname, t.typname, t.typtype,
                (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid))
    from pg_catalog.pg_type t join ns n on n.oid = t.typnamespace
   where t.typtype in ('e', 'd', 'c') and (t.typrelid = 0 or (select relkind from pg_catalog.pg_class where oid = t.typrelid) = 'c')
     and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
  union all
  select format('default acl %s %s %s %s', pg_catalog.pg_get_userbyid(d.defaclrole), d.defaclnamespace::regnamespace, d.defaclobjtype, d.defaclacl)
    from pg_catalog.pg_default_acl d
  union all
  -- By what it describes ("column x of table y"), not by attnum: a column dropped and added back
  -- gets a new attnum, and pg_dump would not see that either.
  select format('comment on %s: %s', pg_catalog.pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
    from pg_catalog.pg_description d
   where d.classoid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_namespace'::regclass)
     and (d.classoid <> 'pg_namespace'::regclass or d.objoid in (select oid from ns))
     and (d.classoid <> 'pg_class'::regclass or d.objoid in (select c.oid from pg_catalog.pg_class c join ns n on n.oid = c.relnamespace))
     and (d.classoid <> 'pg_proc'::regclass or d.objoid in (select p.oid from pg_catalog.pg_proc p join ns n on n.oid = p.pronamespace))
) lines
order by line collate "C"`;

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: [row] } = await client.query<{ v: string }>(`select pg_catalog.current_setting('server_version_num') as v`);
    return Math.floor(Number(row?.v ?? 0) / 10000);
  } finally {
    await client.end();
  }
}

export async function catalogDescription(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string | null }>(CATALOG_DESCRIPTION);
    return rows.map((r) => r.line ?? '').join('\n');
  } finally {
    await client.end();
  }
}

export async function schemaDump(superuserUrl: string): Promise<string> {
  const pgDump = path.join(findPgBinDir(), 'pg_dump');
  const { stdout: version } = await run(pgDump, ['--version']);
  const clientMajor = Number(/(\d+)\./.exec(version)?.[1] ?? 0);
  if ((await serverMajor(superuserUrl)) > clientMajor) return catalogDescription(superuserUrl);
  // pg_dump ≥ 15.14 writes a random `\restrict` key into every dump; a fixed key keeps two dumps
  // of the same schema byte-identical without editing their text.
  const { stdout } = await run(pgDump, ['--schema-only', '--restrict-key=clinicbookingschemadump', '-d', superuserUrl]);
  return stdout;
}
