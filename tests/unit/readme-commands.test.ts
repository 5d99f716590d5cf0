// Every `supabase …` command line the README (and docs/) shows, checked against the installed
// CLI's own help: the subcommand exists, every flag is one it (or the root) accepts, and a
// command whose target is "Local by default" carries --remote — else a newcomer following the
// README would push migrations into a local database instead of the project.
// (`supabase … --help` prints help without validating flags, so the check reads the help.)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.ts';
import { run } from '../../scripts/lib/run.ts';

const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'supabase');
const env = { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' };

const helpCache = new Map<string, Promise<string>>();
function help(words: readonly string[]): Promise<string> {
  const key = words.join(' ');
  let cached = helpCache.get(key);
  if (!cached) {
    cached = run(cli, [...words, '--help'], { cwd: PROJECT_ROOT, env }).then((r) => r.stdout);
    helpCache.set(key, cached);
  }
  return cached;
}

/** `supabase …` lines of fenced shell blocks and inline code spans, as written. */
export function supabaseCommands(markdown: string): string[] {
  const found: string[] = [];
  for (const block of markdown.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    if (!['', 'bash', 'sh', 'shell'].includes(block[1] ?? '')) continue;
    for (const line of (block[2] ?? '').split('\n')) {
      const m = /(?:^|\s|\()((?:npx )?supabase [^#\n]*)/.exec(line);
      if (m?.[1]) found.push(m[1].trim());
    }
  }
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  for (const m of prose.matchAll(/`((?:npx )?supabase [^`]+)`/g)) if (m[1]) found.push(m[1].trim());
  return found;
}

function tokens(command: string): string[] {
  return (command.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).filter((t) => t !== 'npx').slice(1); // drop "supabase"
}

/** What is wrong with one command line, per the CLI's help; [] when it is right. */
export async function problemsOf(command: string): Promise<string[]> {
  const args = tokens(command);
  const words: string[] = [];
  for (const t of args) { if (!/^[a-z][a-z0-9-]*$/.test(t)) break; words.push(t); }
  const text = await help(words);
  const usage = /USAGE\n\s+supabase ([^\n]*)/.exec(text)?.[1] ?? '';
  const usagePath = usage.split(' ').filter((w) => /^[a-z][a-z0-9-]*$/.test(w));
  const problems: string[] = [];
  if (usagePath.length === 0 || usage.includes('<subcommand>') || usage.includes('[command]') || !words.join(' ').startsWith(usagePath.join(' '))) {
    problems.push(`"supabase ${words.join(' ')}" is not a command of the installed CLI`);
    return problems;
  }
  const extraWords = words.slice(usagePath.length);
  if (extraWords.length > 0 && !/\[<[^>]+>\]|<[^>]+>/.test(usage)) problems.push(`"${extraWords.join(' ')}": the command takes no argument`);
  const known = `${text}\n${await help([])}`;
  for (const t of args) {
    const flag = /^(--?[a-zA-Z][\w-]*)/.exec(t)?.[1];
    if (flag && !new RegExp(`(^|[\\s,])${flag}([\\s=\\[,]|$)`, 'm').test(known)) problems.push(`unknown flag ${flag}`);
  }
  const target = /TARGET\n\s+([^\n]*)/.exec(text)?.[1] ?? '';
  if (/^Local by default/.test(target) && !args.some((t) => /^--remote(=|$)/.test(t))) {
    problems.push(`targets the LOCAL database (${target.split('.')[0]}): add --remote`);
  }
  return problems;
}

const documents = ['README.md', ...readdirSync(path.join(PROJECT_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];

describe('supabase command lines in the documentation', () => {
  const all = documents.flatMap((doc) => supabaseCommands(readFileSync(path.join(PROJECT_ROOT, doc), 'utf8')).map((c) => [doc, c] as const));

  it('the README shows the push to the project', () => {
    expect(all.map(([, c]) => c)).toContain('npx supabase db push --remote');
    expect(all.length).toBeGreaterThan(10);
  });

  it.each(all)('%s: %s', async (_doc, command) => {
    expect(await problemsOf(command)).toEqual([]);
  }, 30_000);

  it('the check itself catches a local push, an unknown flag and a misspelt command', async () => {
    expect(await problemsOf('npx supabase db push')).toEqual([expect.stringContaining('targets the LOCAL database')]);
    expect(await problemsOf('npx supabase db push --remote --linkd')).toEqual(['unknown flag --linkd']);
    expect(await problemsOf('npx supabase db pusher --remote')).toEqual([expect.stringContaining('is not a command')]);
    expect(await problemsOf('npx supabase db push --remote="$SUPABASE_DB_URL" --yes')).toEqual([]);
    expect(await problemsOf('npx supabase functions deploy vapi-booking')).toEqual([]);
  }, 30_000);
});
