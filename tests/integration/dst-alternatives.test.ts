// issue 11, DST: on both DST days of two zones, every free time the clinic offers is a distinct
// real instant (stepping in elapsed time: no duplicate on the spring-forward day, both 1:xx
// hours on the fall-back day), each one books through the endpoint, the row stores exactly that
// instant, and the spoken answer names it (the repeated hour says EDT/EST, BST/GMT).
// Needs the SQL side of the one DST rule (docs/dates.md, "The DST rule"): free slots stepping in real instants.
// The clinic is open 00:00–23:59 every day (not opens_at = closes_at), so the test needs no
// window crossing midnight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { DateTime } from 'luxon';
import { testPool } from '../support/db.ts';
import { postToFunction, resultsOf } from '../support/http.ts';
import { createClinic, type RoutedClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { vapiToolCalls } from '../../scripts/lib/fixtures/vapi-message.ts';
import { bookedMessage, formatTime } from '../../supabase/functions/_shared/speech.ts';

/** The next spring-forward and fall-back days of a zone within the coming year (clinic-local). */
function nextDstDays(zone: string): { spring: string; fall: string } {
  let day = DateTime.now().setZone(zone).startOf('day').plus({ days: 2 });
  const found: { spring?: string; fall?: string } = {};
  for (let i = 0; i < 360 && !(found.spring && found.fall); i += 1, day = day.plus({ days: 1 })) {
    const change = day.plus({ days: 1 }).startOf('day').offset - day.offset;
    if (change > 0) found.spring ??= day.toISODate() ?? undefined;
    if (change < 0) found.fall ??= day.toISODate() ?? undefined;
  }
  if (!found.spring || !found.fall) throw new Error(`no DST days found for ${zone}`);
  return { spring: found.spring, fall: found.fall };
}

const ZONES = [
  { zone: 'America/New_York', country: 'US', phone: '+1555010' },
  { zone: 'Europe/London', country: 'GB', phone: '+4420790' },
] as const;

describe('DST days: every offered time books and is spoken as stored', () => {
  let pool: pg.Pool;
  beforeAll(() => { pool = testPool(4); });
  afterAll(async () => { await pool.end(); });

  async function allDayClinic(zone: string, country: string): Promise<RoutedClinic & { stepMs: number }> {
    const clinic = await createClinic(pool, { name: `DST ${zone}`, timeZone: zone, country, opens: '00:00', closes: '23:59', routes: true });
    const { rows } = await pool.query<{ step: number }>('select slot_step_minutes as step from public.organizations where id = $1', [clinic.orgId]);
    return { ...clinic, stepMs: (rows[0]?.step ?? 30) * 60_000 };
  }

  for (const { zone, country, phone } of ZONES) {
    for (const kind of ['spring', 'fall'] as const) {
      it(`${zone}, ${kind} day`, async () => {
        const day = nextDstDays(zone)[kind];
        const clinic = await allDayClinic(zone, country);
        const { rows } = await pool.query<{ reply: { success: boolean; slots: string[] } }>(
          'select public.check_availability($1, $2::date, $3) as reply', [clinic.orgId, day, clinic.stepMs / 60_000]);
        const slots = (rows[0]?.reply.slots ?? []).map((s) => new Date(s));
        // The night around the change: 00:00 to 04:00 local, in real instants.
        const night = slots.filter((s) => DateTime.fromJSDate(s, { zone }).toISODate() === day && DateTime.fromJSDate(s, { zone }).hour < 4);
        const hoursOfNight = kind === 'spring' ? 3 : 5;
        expect(night.length).toBe((hoursOfNight * 3_600_000) / clinic.stepMs);
        for (let i = 1; i < night.length; i += 1) {
          expect((night[i]?.getTime() ?? 0) - (night[i - 1]?.getTime() ?? 0)).toBe(clinic.stepMs);
        }
        const spoken = night.map((s) => formatTime(s, zone));
        expect(new Set(spoken).size).toBe(spoken.length);

        // The availability tool says them without a duplicate.
        const listed = resultsOf((await postToFunction(vapiToolCalls(
          [{ id: 'avail', name: 'checkAvailability', arguments: { date: day, durationMinutes: clinic.stepMs / 60_000 } }],
          { assistantId: clinic.assistantId },
        ))).json)[0]?.result ?? '';
        const times = listed.match(/\d{1,2}:\d{2} [AP]M(?: [A-Z]{2,5})?/g) ?? [];
        expect(times.length).toBeGreaterThan(0);
        expect(new Set(times).size).toBe(times.length);

        // Book every one of them (appointments one step long, so neighbours do not overlap),
        // one caller each, and read each answer back.
        for (const [i, slot] of night.entries()) {
          const reply = await postToFunction(vapiToolCalls([{ id: `b${i}`, arguments: {
            name: 'Dee Ess Tee', phone: `${phone}${String(1000 + i)}`, serviceType: 'checkup', scheduledAt: slot.toISOString(), durationMinutes: clinic.stepMs / 60_000,
          } }], { id: `dst-${clinic.orgId}-${i}`, assistantId: clinic.assistantId }));
          const answer = resultsOf(reply.json)[0]?.result;
          const { rows: stored } = await pool.query<{ at: Date }>(
            `select scheduled_at as at from public.appointments where org_id = $1 and scheduled_at = $2`, [clinic.orgId, slot]);
          expect({ slot: slot.toISOString(), answer, stored: stored.length }).toEqual({
            slot: slot.toISOString(), answer: bookedMessage(slot, zone, { now: new Date() }), stored: 1,
          });
        }
      });
    }
  }
});
