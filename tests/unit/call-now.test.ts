// "Now" for a call is the call's start, so a Vapi retry that straddles the clinic's midnight
// resolves the same slot and books once (pinned clocks; a fake database that honours keys).
import { describe, expect, it } from 'vitest';
import { callNow, createVapiHandler } from '../../supabase/functions/_shared/handler.ts';
import { parseEnvelope } from '../../supabase/functions/_shared/envelope.ts';
import type { BookingDatabase, BookingOutcome, BookingRequest, OrgContext } from '../../supabase/functions/_shared/booking-db.ts';
import { ONE_CALENDAR, RECEPTIONIST_RPCS_UNUSED } from '../support/fake-booking-db.ts';

const ORG: OrgContext = {
  orgId: 'org-ny', timeZone: 'America/New_York', defaultCountry: 'US', defaultDurationMinutes: 30, horizonDays: 365, ...ONE_CALENDAR,
  businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '06:00', closesAt: '20:00' })),
};
// 23:59:55 and 00:00:05 in New York, either side of the clinic's midnight (June 1 → 2, 2026).
const BEFORE_MIDNIGHT = new Date('2026-06-02T03:59:55Z');
const AFTER_MIDNIGHT = new Date('2026-06-02T04:00:05Z');
const CALL_STARTED = '2026-06-02T03:57:00Z';

/** Books like the SQL function: one appointment per key; the same key with another slot is refused. */
function keyedDatabase(): { db: BookingDatabase; rows: BookingRequest[] } {
  const rows: BookingRequest[] = [];
  const db: BookingDatabase = {
    resolveOrg: async () => ORG,
    book: async (request): Promise<BookingOutcome> => {
      const same = rows.find((r) => r.idempotencyKey !== undefined && r.idempotencyKey === request.idempotencyKey);
      if (same) {
        return same.start.getTime() === request.start.getTime()
          ? { success: true, appointmentId: 'a1', contactId: 'l1', start: same.start, end: same.start, replayed: true }
          : { success: false, code: 'IDEMPOTENCY_KEY_REUSED', alternatives: [] };
      }
      rows.push(request);
      return { success: true, appointmentId: `a${rows.length}`, contactId: 'l1', start: request.start, end: request.start, replayed: false };
    },
    checkAvailability: async () => ({ success: true, slots: [] }),
    ...RECEPTIONIST_RPCS_UNUSED,
  };
  return { db, rows };
}

function handlerAt(db: BookingDatabase, clock: { now: Date }) {
  return createVapiHandler({
    auth: { checkHeaders: async () => 'vapi', checkSignature: async () => true }, db, resolveOrg: async () => ORG, now: () => clock.now, log: () => {}, maxBodyBytes: 8192,
  });
}

const request = (toolCallId: string, call: Record<string, unknown>): Request => new Request('http://local/vapi-booking', {
  method: 'POST',
  body: JSON.stringify({ message: { type: 'tool-calls', call, toolCallList: [{ id: toolCallId, type: 'function', function: {
    name: 'bookClinicAppointment',
    arguments: { name: 'Ada Lovelace', phone: '+15554443333', serviceType: 'checkup', date: 'tomorrow', time: '10 am' },
  } }] } }),
});

describe('a retry across the clinic\'s midnight', () => {
  it('books once: both attempts read "tomorrow" from the call\'s start', async () => {
    const { db, rows } = keyedDatabase();
    const clock = { now: BEFORE_MIDNIGHT };
    const handle = handlerAt(db, clock);
    const call = { id: 'call-1', assistantId: 'a', startedAt: CALL_STARTED, createdAt: '2026-06-02T03:56:50Z' };
    const first = await (await handle(request('tc-1', call))).json() as { results: { result: string }[] };
    clock.now = AFTER_MIDNIGHT;
    const retry = await (await handle(request('tc-2', call))).json() as { results: { result: string }[] };
    expect(rows).toHaveLength(1);
    expect(rows[0]?.start.toISOString()).toBe('2026-06-02T14:00:00.000Z'); // June 2, 10:00 EDT
    expect(first.results[0]?.result).toBe("You're booked for Tuesday, June 2 at 10:00 AM.");
    expect(retry.results[0]?.result).toBe(first.results[0]?.result);
  });

  it('without a start time the key still ignores the clock, so the retry is refused, not booked twice', async () => {
    const { db, rows } = keyedDatabase();
    const clock = { now: BEFORE_MIDNIGHT };
    const handle = handlerAt(db, clock);
    await handle(request('tc-1', { id: 'call-2', assistantId: 'a' }));
    clock.now = AFTER_MIDNIGHT;
    const retry = await (await handle(request('tc-2', { id: 'call-2', assistantId: 'a' }))).json() as { results: { result: string }[] };
    expect(rows).toHaveLength(1);
    expect(retry.results[0]?.result).toContain('I already booked that time on this call');
  });
});

describe('callNow', () => {
  const context = (startedAt: string | undefined) => {
    const parsed = parseEnvelope({ message: { type: 'tool-calls', toolCallList: [], call: { id: 'c', ...(startedAt ? { startedAt } : {}) } } });
    if (parsed.kind !== 'tool-calls') throw new Error('unexpected');
    return parsed.context;
  };

  it('prefers startedAt, then createdAt, then the clock', () => {
    const clock = new Date('2026-06-02T04:00:05Z');
    expect(callNow(context('2026-06-02T03:57:00Z'), clock).toISOString()).toBe('2026-06-02T03:57:00.000Z');
    const created = parseEnvelope({ message: { type: 'tool-calls', toolCallList: [], call: { createdAt: '2026-06-02T03:56:00.000Z' } } });
    if (created.kind !== 'tool-calls') throw new Error('unexpected');
    expect(callNow(created.context, clock).toISOString()).toBe('2026-06-02T03:56:00.000Z');
    expect(callNow(context(undefined), clock)).toBe(clock);
  });

  it('ignores a start that is implausible (days old, in the future, not a timestamp)', () => {
    const clock = new Date('2026-06-02T04:00:05Z');
    expect(callNow(context('2026-05-20T10:00:00Z'), clock)).toBe(clock);
    expect(callNow(context('2026-06-02T05:00:00Z'), clock)).toBe(clock);
    expect(callNow(context('yesterday'), clock)).toBe(clock);
  });
});
