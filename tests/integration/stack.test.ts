// The local stack is idempotent: starting it again (even twice at once) reuses the running
// cluster instead of starting a second one or failing.
import { describe, expect, it } from 'vitest';
import { startStack, stackStatus } from '../../scripts/lib/stack.ts';
import { TEST_STACK_NAME, requireStackValue } from '../support/stack-env.ts';

describe('local stack', () => {
  it('start while running (twice at once) reuses the same cluster and port', async () => {
    const port = requireStackValue('PGPORT');
    const [a, b] = await Promise.all([startStack({ name: TEST_STACK_NAME }), startStack({ name: TEST_STACK_NAME })]);
    expect([a.PGPORT, b.PGPORT]).toEqual([port, port]);
    expect(a.DATABASE_URL).toBe(requireStackValue('DATABASE_URL'));
    expect((await stackStatus(TEST_STACK_NAME)).running).toBe(true);
    // The endpoint's settings written by the test setup survive a repeated start.
    expect(requireStackValue('FUNCTION_URL')).toMatch(/\/functions\/v1\/vapi-booking$/);
  });
});
