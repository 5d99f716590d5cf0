// Is a database URL this checkout's own local stack? Only then may rollback run without --yes:
// a rollback drops tables and the clinics' data. "Local" means a loopback host AND the port of
// one of the stacks recorded under .local/ (a loopback port may be an SSH tunnel to production).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_DIR } from '../lib/project.ts';
import { readEnvFile } from '../lib/env-file.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function localStackPorts(localDir: string = LOCAL_DIR): Set<string> {
  const files = [path.join(localDir, 'stack.env')];
  if (existsSync(localDir)) {
    for (const entry of readdirSync(localDir, { withFileTypes: true })) {
      if (entry.isDirectory()) files.push(path.join(localDir, entry.name, 'stack.env'));
    }
  }
  const ports = new Set<string>();
  for (const file of files) {
    const port = readEnvFile(file).PGPORT;
    if (port) ports.add(port);
  }
  return ports;
}

export function isLocalStack(url: string, ports: Set<string> = localStackPorts()): boolean {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return false; }
  return LOOPBACK.has(parsed.hostname) && ports.has(parsed.port || '5432');
}
