// Integration tests find the running stack through its stack.env (written by the global setup).
import path from 'node:path';
import { readEnvFile, type EnvMap } from '../../scripts/lib/env-file.ts';
import { stackPaths } from '../../scripts/lib/stack.ts';

export const TEST_STACK_NAME = process.env.STACK_NAME ?? 'test';

export function stackEnvFile(): string {
  return process.env.STACK_ENV_FILE ?? stackPaths(TEST_STACK_NAME).envFile;
}

export function stackEnv(): EnvMap {
  return readEnvFile(stackEnvFile());
}

export function requireStackValue(key: string): string {
  const value = stackEnv()[key];
  if (!value) throw new Error(`${key} missing from ${path.relative(process.cwd(), stackEnvFile())}: is the test stack running?`);
  return value;
}
