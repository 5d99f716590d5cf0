// find / cancel / reschedule and the "anyone" booking over HTTP, through the running edge
// function and gateway, on a clinic with three practitioners and a service catalogue created
// through SQL here. The SQL side is docs/receptionist-calls.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { testPool } from '../support/db.ts';
import { postToFunction, resultsOf } from '../support/http.ts';
import { BOOKED_LINE, SLOT_TAKEN_PREFIX } from '../support/answers.ts';
import { createClinic, type RoutedClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { localDate } from '../../scripts/lib/fixtures/local-time.ts';
import { vapiToolCalls } from '../../scripts/lib/fixtures/vapi-message.ts';
import { leaksIn } from '../../scripts/lib/answer-leaks.ts';
import { errorMessage, RESCHEDULED_OPENING } from '../../supabase/functions/_shared/speech.ts';

const NOT_FOUND_LINE = errorMessage('APPOINTMENT_NOT_FOUND');
const NAME_REQUIRED_LINE = errorMessage('NAME_REQUIRED');

describe('receptionist tools over HTTP (clinic with practitioners and a catalogue)', () => {
  let pool: pg.Pool;
  let clinic: RoutedClinic;
  let day: string;
  let nextDay: string;
  const practitioners = new Map<string, string>(); // name → id
  let phoneSeq = 0;
  /** A fresh caller number per test, so no test sees another's appointments. */
  const freshPhone = (): string => `+1555017${String(1000 + phoneSeq++).padStart(4, '0')}`;

  /** One tool call on a Vapi call from `callerId` (the call's customer.number). */
  async function tool(name: string, args: Record<string, unknown>, opts: { callerId?: string | null; callId?: string } = {}): Promise<string> {
    const customer = opts.callerId === null ? {} : { customer: { number: opts.callerId ?? '+15550179999' } };
    const { status, json, text } = await postToFunction(vapiToolCalls(
      [{ id: `tc-${name}-${Math.random().toString(36).slice(2)}`, name, arguments: args }],
      { id: opts.callId ?? `call-${Math.random().toString(36).slice(2)}`, assistantId: clinic.assistantId, ...customer },
    ));
    expect(status).toBe(200);
    expect(leaksIn(text)).toEqual([]);
    const [answer] = resultsOf(json);
    const line = answer?.result ?? `ERROR: ${answer?.error ?? ''}`;
    expect(line).not.toMatch(/[\r\n]/);
    return line;
  }

  const book = (phone: string, time: string, extra: Record<string, unknown> = {}) =>
    tool('bookClinicAppointment', { name: 'Pat Doe', phone, serviceType: 'follow-up', date: day, time, ...extra }, { callerId: phone });

  async function activeRows(phone: string): Promise<Array<{ id: string; practitioner_id: string | null; status: string; local: string; rescheduled_from: string | null }>> {
    const { rows } = await pool.query(
      `select a.id, a.practitioner_id, a.status, a.rescheduled_from,
              to_char(a.scheduled_at at time zone o.timezone, 'YYYY-MM-DD HH24:MI') as local
       from public.appointments a join public.leads l on l.id = a.lead_id join public.organizations o on o.id = a.org_id
       where a.org_id = $1 and l.phone = $2 order by a.scheduled_at, a.created_at`, [clinic.orgId, phone]);
    return rows as never;
  }

  beforeAll(async () => {
    pool = testPool(4);
    clinic = await createClinic(pool, { name: 'Receptionist Clinic', timeZone: 'America/Chicago', routes: true });
    // Before any HTTP call for this clinic: the function caches resolve_booking_org's answer.
    const { rows } = await pool.query<{ id: string; name: string }>(
      `insert into public.practitioners (org_id, name) values ($1, 'Dr. Anna Lee'), ($1, 'Dr. Ben Park'), ($1, 'Dr. Cara Diaz')
       returning id, name`, [clinic.orgId]);
    for (const row of rows) practitioners.set(row.name, row.id);
    await pool.query(
      `insert into public.services (org_id, name, aliases, duration_minutes) values
         ($1, 'follow-up', '{}', 30), ($1, 'sports massage', '{massage,deep tissue massage}', 60)`, [clinic.orgId]);
    day = await localDate(pool, clinic.timeZone, 6);
    nextDay = await localDate(pool, clinic.timeZone, 7);
  });
  afterAll(async () => { await pool.end(); });

  it('"anyone": four callers for one 09:00 slot at a clinic of three → three bookings on three practitioners, the fourth offered other times', async () => {
    const phones = [freshPhone(), freshPhone(), freshPhone(), freshPhone()];
    const answers = await Promise.all(phones.map((phone, i) => book(phone, '09:00', i % 2 === 0 ? { practitioner: 'anyone' } : {})));
    expect(answers.filter((a) => BOOKED_LINE.test(a))).toHaveLength(3);
    expect(answers.filter((a) => a.startsWith(SLOT_TAKEN_PREFIX))).toHaveLength(1);
    const assigned = (await Promise.all(phones.map(activeRows))).flat().map((r) => r.practitioner_id);
    expect(assigned).toHaveLength(3);
    expect(new Set(assigned).size).toBe(3);
    expect(assigned.every((id) => id !== null && [...practitioners.values()].includes(id))).toBe(true);
  });

  it('a named practitioner (first name) gets that practitioner; an unknown one is answered with the list, nothing booked', async () => {
    const phone = freshPhone();
    expect(await book(phone, '10:00', { practitioner: 'Anna' })).toMatch(BOOKED_LINE);
    expect((await activeRows(phone)).map((r) => r.practitioner_id)).toEqual([practitioners.get('Dr. Anna Lee')]);
    const unknown = await book(freshPhone(), '10:30', { practitioner: 'Dr. Who' });
    expect(unknown).toMatch(/Dr\. Anna Lee.*Dr\. Ben Park.*Dr\. Cara Diaz/);
  });

  it('a service by alias books the catalogue service and its length; one not offered is answered with the catalogue', async () => {
    const phone = freshPhone();
    expect(await book(phone, '13:00', { serviceType: 'Deep-tissue massage' })).toMatch(BOOKED_LINE);
    const { rows } = await pool.query(
      `select a.service_type, a.duration_minutes from public.appointments a join public.leads l on l.id = a.lead_id
       where a.org_id = $1 and l.phone = $2`, [clinic.orgId, phone]);
    expect(rows).toEqual([{ service_type: 'sports massage', duration_minutes: 60 }]);
    expect(await book(freshPhone(), '13:00', { serviceType: 'teeth whitening' })).toMatch(/follow-up or sports massage/);
  });

  it('findAppointment: by caller id alone; another number needs the right name; no one else\'s name is ever said', async () => {
    const phone = freshPhone();
    expect(await tool('bookClinicAppointment', { name: 'Mary Smith', serviceType: 'follow-up', date: day, time: '11:00', practitioner: 'Dr. Ben Park' }, { callerId: phone })).toMatch(BOOKED_LINE);
    const own = await tool('findAppointment', {}, { callerId: phone });
    expect(own).toMatch(/^You have a follow-up on .+ at 11:00 AM with Dr\. Ben Park\.$/);
    expect(own).not.toMatch(/Mary|Smith/);

    const stranger = '+15550178888';
    expect(await tool('findAppointment', { phone }, { callerId: stranger })).toBe(NAME_REQUIRED_LINE);
    expect(await tool('findAppointment', { phone, name: 'Someone Else' }, { callerId: stranger })).toBe(NOT_FOUND_LINE);
    expect(await tool('findAppointment', { phone, name: 'mary smith' }, { callerId: stranger })).toMatch(/^You have a follow-up/);
    // A web call (no caller id) is held to the same rule.
    expect(await tool('findAppointment', { phone }, { callerId: null })).toBe(NAME_REQUIRED_LINE);
    expect(await tool('findAppointment', {}, { callerId: freshPhone() })).toBe(NOT_FOUND_LINE);
  });

  it('cancelAppointment: several → asked which (days and times only); the chosen day is cancelled, a retry says the same, the slot is free at once', async () => {
    const phone = freshPhone();
    expect(await book(phone, '15:00')).toMatch(BOOKED_LINE);
    expect(await tool('bookClinicAppointment', { name: 'Pat Doe', phone, serviceType: 'follow-up', date: nextDay, time: '15:00' }, { callerId: phone })).toMatch(BOOKED_LINE);

    const which = await tool('cancelAppointment', {}, { callerId: phone });
    expect(which).toMatch(/^You have appointments on .+ at 3:00 PM and .+ at 3:00 PM\. Which one do you mean\?$/);
    expect((await activeRows(phone)).map((r) => r.status)).toEqual(['booked', 'booked']);

    const callId = `call-cancel-${phone}`;
    const cancelled = await tool('cancelAppointment', { date: nextDay }, { callerId: phone, callId });
    expect(cancelled).toMatch(/^Your appointment on .+ at 3:00 PM is cancelled\.$/);
    expect(await tool('cancelAppointment', { date: nextDay }, { callerId: phone, callId })).toBe(cancelled);
    const rows = await activeRows(phone);
    expect(rows.map((r) => [r.local.slice(0, 10), r.status === 'cancelled'])).toEqual([[day, false], [nextDay, true]]);

    // Freed at once: the whole clinic's three calendars can take 15:00 next day again.
    const others = [freshPhone(), freshPhone(), freshPhone()];
    const rebooked = await Promise.all(others.map((p) => tool('bookClinicAppointment', { name: 'Lou Key', phone: p, serviceType: 'follow-up', date: nextDay, time: '15:00' }, { callerId: p })));
    expect(rebooked.filter((a) => BOOKED_LINE.test(a))).toHaveLength(3);
  });

  it('rescheduleAppointment: moved atomically (old rescheduled, new active and linked); a retry replays; a taken slot keeps the old booking', async () => {
    const phone = freshPhone();
    expect(await book(phone, '16:00', { practitioner: 'Cara' })).toMatch(BOOKED_LINE);
    const [old] = await activeRows(phone);

    const callId = `call-move-${phone}`;
    const moved = await tool('rescheduleAppointment', { newDate: nextDay, newTime: '08:00' }, { callerId: phone, callId });
    expect(moved.startsWith(RESCHEDULED_OPENING)).toBe(true);
    expect(moved).toMatch(/at 8:00 AM/);
    expect(await tool('rescheduleAppointment', { newDate: nextDay, newTime: '08:00' }, { callerId: phone, callId })).toBe(moved);

    const rows = await activeRows(phone);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === old?.id)?.status).toBe('rescheduled');
    const fresh = rows.find((r) => r.id !== old?.id);
    expect(fresh).toMatchObject({ rescheduled_from: old?.id, practitioner_id: practitioners.get('Dr. Cara Diaz'), local: `${nextDay} 08:00` });

    // Cara is now busy at 08:00 next day; fill the other two calendars too, then try to move onto it.
    for (const p of [freshPhone(), freshPhone()]) {
      expect(await tool('bookClinicAppointment', { name: 'Lou Key', phone: p, serviceType: 'follow-up', date: nextDay, time: '08:00' }, { callerId: p })).toMatch(BOOKED_LINE);
    }
    const mover = freshPhone();
    expect(await book(mover, '17:00', { practitioner: 'Dr. Cara Diaz' })).toMatch(BOOKED_LINE);
    const refused = await tool('rescheduleAppointment', { newDate: nextDay, newTime: '08:00' }, { callerId: mover });
    expect(refused).toMatch(/^That time is already taken\. Your appointment stays as it was\./);
    const still = await activeRows(mover);
    expect(still.map((r) => [r.local, r.status])).toEqual([[`${day} 17:00`, 'booked']]);
  });

  it('two moves of one appointment at once (two calls): exactly one wins, and one active appointment remains', async () => {
    const phone = freshPhone();
    expect(await book(phone, '18:00')).toMatch(BOOKED_LINE);
    // Both name the appointment by its day: the loser finds it moved (without a day, "move my
    // appointment" twice would rightly move the one active appointment twice, one after the other).
    const answers = await Promise.all(['08:30', '09:30'].map((time, i) =>
      tool('rescheduleAppointment', { currentDate: day, newDate: nextDay, newTime: time }, { callerId: phone, callId: `race-${phone}-${i}` })));
    expect(answers.filter((a) => a.startsWith(RESCHEDULED_OPENING))).toHaveLength(1);
    expect(answers.filter((a) => !a.startsWith(RESCHEDULED_OPENING))).toEqual([
      expect.stringMatching(/^(?:I can't find an upcoming appointment|That appointment was already moved or cancelled|The schedule is busy)/),
    ]);
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from public.appointments a join public.leads l on l.id = a.lead_id
       where a.org_id = $1 and l.phone = $2 and a.is_active`, [clinic.orgId, phone]);
    expect(rows[0]?.n).toBe(1);
  });

  it('nothing of another clinic: the same caller id at a clinic without the booking finds nothing', async () => {
    const phone = freshPhone();
    expect(await book(phone, '07:00')).toMatch(BOOKED_LINE);
    const other = await createClinic(pool, { name: 'Receptionist Other Clinic', timeZone: 'America/Chicago', routes: true });
    const { json } = await postToFunction(vapiToolCalls([{ id: 'tc-x', name: 'findAppointment', arguments: {} }],
      { id: 'call-x', assistantId: other.assistantId, customer: { number: phone } }));
    expect(resultsOf(json)[0]?.result).toBe(NOT_FOUND_LINE);
  });
});
