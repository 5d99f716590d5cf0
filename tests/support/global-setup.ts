// Starts (or reuses) the isolated test stack once for all integration suites, plus the RPC
// gateway and the edge function under Deno on top of it, and records their URLs in the
// test stack.env. `npm test` starts the stack fresh and removes it afterwards; run alone,
// vitest starts what is missing and stops what it started.
import { startStack, stopStack, stackStatus, stackPaths } from '../../scripts/lib/stack.ts';
import { startGateway, startFunction } from '../../scripts/lib/services.ts';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { updateEnvFile } from '../../scripts/lib/env-file.ts';
import { TEST_STACK_NAME } from './stack-env.ts';

export const TEST_VAPI_SECRET = 'test-vapi-secret-5f2c9a';
export const TEST_DIRECT_API_SECRET = 'test-direct-api-secret-8e1d47';

export default async function setup(): Promise<() => Promise<void>> {
  const alreadyRunning = (await stackStatus(TEST_STACK_NAME)).running;
  const stack = await startStack({ name: TEST_STACK_NAME });
  // The function's log lines go to a file the log-hygiene tests read.
  const functionLog = path.join(stackPaths(TEST_STACK_NAME).dir, 'function.log');
  rmSync(functionLog, { force: true });
  const gateway = await startGateway(stack, undefined, true);
  const fn = await startFunction({
    supabaseUrl: gateway.url,
    serviceRoleKey: stack.SERVICE_ROLE_KEY ?? '',
    vapiSecret: TEST_VAPI_SECRET,
    directApiSecret: TEST_DIRECT_API_SECRET,
  }, (line) => appendFileSync(functionLog, `${line}\n`));
  updateEnvFile(stackPaths(TEST_STACK_NAME).envFile, {
    FUNCTION_URL: fn.url,
    SUPABASE_URL: gateway.url,
    SUPABASE_SERVICE_ROLE_KEY: stack.SERVICE_ROLE_KEY ?? '',
    VAPI_SECRET: TEST_VAPI_SECRET,
    DIRECT_API_SECRET: TEST_DIRECT_API_SECRET,
    FUNCTION_LOG: functionLog,
  });
  return async () => {
    await fn.stop();
    await gateway.stop();
    if (!alreadyRunning) await stopStack(TEST_STACK_NAME);
  };
}
