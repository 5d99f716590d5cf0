// The function under Deno refuses to start without its configuration, and says what is missing.
import { describe, expect, it } from 'vitest';
import { startFunction } from '../../scripts/lib/services.ts';

describe('vapi-booking start-up', () => {
  it('stops with a message naming the missing setting instead of serving half-configured', async () => {
    const output: string[] = [];
    await expect(startFunction({ supabaseUrl: 'http://127.0.0.1:9', serviceRoleKey: 'k', vapiSecret: '' }, (line) => output.push(line)))
      .rejects.toThrow(/exited \(1\) before it was ready/);
    expect(output.join('\n')).toContain('vapi-booking cannot start: missing VAPI_SECRET');
  });
});
