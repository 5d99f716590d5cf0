// Starts (or reuses) the isolated test stack once for all integration suites. `npm test`
// starts it fresh before pgTAP and stops it afterwards; run alone, vitest starts it here and
// leaves it stopped again at the end.
import { startStack, stopStack, stackStatus } from '../../scripts/lib/stack.ts';
import { TEST_STACK_NAME } from './stack-env.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const alreadyRunning = (await stackStatus(TEST_STACK_NAME)).running;
  await startStack({ name: TEST_STACK_NAME });
  return async () => {
    if (!alreadyRunning) await stopStack(TEST_STACK_NAME);
  };
}
