// KEY=VALUE files (.local/stack.env): the one place scripts and tools find the running stack.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';

export type EnvMap = Record<string, string>;

export function parseEnvFile(text: string): EnvMap {
  const env: EnvMap = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    env[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return env;
}

export function readEnvFile(file: string): EnvMap {
  return existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
}

/** Writes atomically (temp file + rename) so a reader never sees half a file. */
export function writeEnvFile(file: string, env: EnvMap): void {
  const body = Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, body, { mode: 0o600 });
  renameSync(tmp, file);
}

export function updateEnvFile(file: string, changes: EnvMap): EnvMap {
  const next = { ...readEnvFile(file), ...changes };
  writeEnvFile(file, next);
  return next;
}
