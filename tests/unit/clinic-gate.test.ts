// The per-clinic gate: N calls in flight per clinic, others wait in order within their budget,
// other clinics never wait. Fake timers: no sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClinicGate } from '../../supabase/functions/_shared/clinic-gate.ts';

describe('createClinicGate', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('lets N in per clinic, queues the rest first come first served, and never holds up another clinic', async () => {
    const gate = createClinicGate(2);
    const a1 = await gate.enter('A', 1000);
    const a2 = await gate.enter('A', 1000);
    const order: string[] = [];
    const a3 = gate.enter('A', 1000).then((r) => { order.push('a3'); return r; });
    const a4 = gate.enter('A', 1000).then((r) => { order.push('a4'); return r; });
    const b1 = await gate.enter('B', 0); // immediately, while A is full
    expect(b1).not.toBeNull();
    expect(gate.inFlight('A')).toBe(2);
    a1?.();
    a1?.(); // releasing twice frees one place only
    const third = await a3;
    expect(order).toEqual(['a3']);
    expect(gate.inFlight('A')).toBe(2);
    a2?.();
    expect(await a4).not.toBeNull();
    expect(order).toEqual(['a3', 'a4']);
    third?.();
  });

  it('a waiter whose budget runs out gets null and leaves the queue', async () => {
    const gate = createClinicGate(1);
    const held = await gate.enter('A', 0);
    const late = gate.enter('A', 500);
    expect(await gate.enter('A', 0)).toBeNull();
    await vi.advanceTimersByTimeAsync(500);
    expect(await late).toBeNull();
    held?.();
    expect(gate.inFlight('A')).toBe(0);
    expect(await gate.enter('A', 0)).not.toBeNull();
  });
});
