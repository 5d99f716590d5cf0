// npm run demo — the release scenario over HTTP against the running `npm run dev` stack,
// printed as a table. Exit 1 when any step does not behave as promised.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readEnvFile } from './lib/env-file.ts';
import { stackPaths } from './lib/stack.ts';
import { textTable } from './lib/table.ts';
import { vapiToolCalls } from './lib/fixtures/vapi-message.ts';
import { isBookedAnswer, RESCHEDULED_OPENING, SLOT_TAKEN_OPENING } from '../supabase/functions/_shared/speech.ts';

const SUNRISE = { orgId: 'a0000000-0000-0000-0000-000000000001', assistantId: 'demo-assistant-sunrise', tz: 'America/New_York' };
const HARBOUR = { orgId: 'b0000000-0000-0000-0000-000000000002', assistantId: 'demo-assistant-harbour', tz: 'Europe/London' };
const RIVERSIDE = { orgId: 'c0000000-0000-0000-0000-000000000003', assistantId: 'demo-assistant-riverside', tz: 'America/Chicago' };
/** The Riverside caller of steps 6–9, calling from their own line (caller id). */
const RIVERSIDE_CALLER = '+13125550142';

interface Row { step: string; sent: string; answer: string; evidence: string; ok: boolean }

const env = readEnvFile(stackPaths().envFile);
if (!env.FUNCTION_URL || !env.VAPI_SECRET || !env.DATABASE_URL) {
  process.stderr.write('No running stack found (.local/stack.env has no FUNCTION_URL): start it with `npm run dev` in another terminal.\n');
  process.exit(2);
}
const db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });

async function say(assistantId: string, args: Record<string, unknown>, tool = 'bookClinicAppointment', callerId?: string): Promise<string> {
  const call = { id: `demo-${randomUUID()}`, assistantId, ...(callerId ? { customer: { number: callerId } } : {}) };
  const response = await fetch(env.FUNCTION_URL ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-vapi-secret': env.VAPI_SECRET ?? '' },
    body: JSON.stringify(vapiToolCalls([{ id: `tc-${randomUUID()}`, name: tool, arguments: args }], call)),
  });
  const body = (await response.json()) as { results?: Array<{ result?: string; error?: string }> };
  return body.results?.[0]?.result ?? body.results?.[0]?.error ?? `HTTP ${response.status}`;
}

const one = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T | undefined> => (await db.query<T>(sql, params)).rows[0];

/** A weekday at least a week out where 09:00 New York (14:00 London, open in both clinics) is free in both. */
async function sharedFreeDay(): Promise<string> {
  const row = await one<{ day: string }>(
    `select to_char(d, 'YYYY-MM-DD') as day
     from generate_series((now() at time zone 'America/New_York')::date + 7, (now() at time zone 'America/New_York')::date + 400, interval '1 day') as g(d)
     where extract(isodow from d) between 1 and 5
       and not exists (select 1 from public.appointments a where a.is_active and a.org_id in ($1, $2)
                       and tstzrange(a.scheduled_at, a.ends_at) && tstzrange((d::date + time '09:00') at time zone 'America/New_York',
                                                                            (d::date + time '10:00') at time zone 'America/New_York'))
     order by d limit 1`, [SUNRISE.orgId, HARBOUR.orgId]);
  if (!row) throw new Error('no free weekday found');
  return row.day;
}

/** The first free 30-minute start on a local day of Sunrise, as HH:MM. */
async function freeTimeOn(day: string): Promise<string> {
  const row = await one<{ hhmm: string }>(
    `select to_char((s #>> '{}')::timestamptz at time zone 'America/New_York', 'HH24:MI') as hhmm
     from jsonb_array_elements(public.check_availability($1, $2::date, 30) -> 'slots') as s limit 1`, [SUNRISE.orgId, day]);
  if (!row) throw new Error(`no free time on ${day}`);
  return row.hhmm;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const day = await sharedFreeDay();
  const base = { serviceType: 'consultation', date: day, time: '09:00', durationMinutes: 60 };

  const messy = { name: "jOHN o'brien", email: 'John@EX.com', phone: '(555) 444-3333' };
  const booked = await say(SUNRISE.assistantId, { ...base, ...messy });
  const lead = await one<{ name: string; email: string; phone: string; status: string }>(
    'select name, email, phone, status from public.leads where org_id = $1 and phone = $2', [SUNRISE.orgId, '+15554443333']);
  rows.push({ step: '1. messy caller books', sent: `${messy.name} / ${messy.email} / ${messy.phone}, ${day} 09:00`, answer: booked,
    evidence: lead ? `lead: ${lead.name} | ${lead.email} | ${lead.phone} | ${lead.status}` : 'no lead',
    ok: isBookedAnswer(booked) && lead?.name === "John O'Brien" && lead.email === 'john@ex.com' && lead.phone === '+15554443333' });

  const taken = await say(SUNRISE.assistantId, { ...base, name: 'jane roe', phone: '(555) 222-1111' });
  const count = await one<{ n: number }>(
    `select count(*)::int as n from public.appointments where org_id = $1 and scheduled_at = ($2::date + time '09:00') at time zone 'America/New_York'`, [SUNRISE.orgId, day]);
  rows.push({ step: '2. same slot, another caller', sent: `jane roe, ${day} 09:00`, answer: taken,
    evidence: `appointments at that time: ${count?.n}`, ok: taken.startsWith(SLOT_TAKEN_OPENING) && /nearest free/.test(taken) && count?.n === 1 });

  const london = await say(HARBOUR.assistantId, { ...base, time: '14:00', name: 'jane roe', phone: '020 7946 0958' });
  rows.push({ step: '3. another clinic, same instant', sent: `Harbour (London) ${day} 14:00 = 09:00 New York`, answer: london,
    evidence: 'tenants are independent', ok: isBookedAnswer(london) });

  const todayRow = await one<{ year: number; soon: string; yesterday: string }>(
    `select extract(year from (now() at time zone 'America/New_York'))::int as year,
            to_char((now() at time zone 'America/New_York')::date + 10, 'MM-DD') as soon,
            to_char((now() at time zone 'America/New_York')::date - 1, 'YYYY-MM-DD') as yesterday`, []);
  if (!todayRow) throw new Error('no clock');
  const staleDate = `${todayRow.year - 2}-${todayRow.soon}`;
  const staleTarget = await one<{ d: string }>(`select to_char((now() at time zone 'America/New_York')::date + 10, 'YYYY-MM-DD') as d`, []);
  const staleTime = await freeTimeOn(staleTarget?.d ?? '');
  const stale = await say(SUNRISE.assistantId, { name: 'stale year', phone: '+15550001001', serviceType: 'checkup', date: staleDate, time: staleTime });
  rows.push({ step: '4. stale year from the model', sent: `${staleDate} ${staleTime}`, answer: stale,
    evidence: `expected year ${staleTarget?.d.slice(0, 4)}`, ok: isBookedAnswer(stale) && stale.includes(staleTarget?.d.slice(0, 4) ?? '?') });

  const nextYear = String(Number(todayRow.yesterday.slice(0, 4)) + 1);
  const pastTime = await freeTimeOn(`${nextYear}${todayRow.yesterday.slice(4)}`);
  const past = await say(SUNRISE.assistantId, { name: 'past date', phone: '+15550001002', serviceType: 'checkup', date: todayRow.yesterday, time: pastTime });
  rows.push({ step: '5. date already past this year', sent: `${todayRow.yesterday} ${pastTime}`, answer: past,
    evidence: `expected year ${nextYear}`, ok: isBookedAnswer(past) && past.includes(nextYear) });

  rows.push(...await riversideCalls());

  printTable(rows);
  await db.end();
  const failed = rows.filter((r) => !r.ok).length;
  process.stdout.write(`\n${rows.length - failed}/${rows.length} steps behaved as promised\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/**
 * A Monday–Thursday (all three practitioners work) at least a week out on which Riverside has
 * nothing active between 10:00 and 16:00: earlier runs cancel what they booked, and a day an
 * interrupted run left busy is simply skipped.
 */
async function riversideFreeDay(): Promise<string> {
  const row = await one<{ day: string }>(
    `select to_char(d, 'YYYY-MM-DD') as day
     from generate_series((now() at time zone $2)::date + 7, (now() at time zone $2)::date + 300, interval '1 day') as g(d)
     where extract(isodow from d) between 1 and 4
       and not exists (select 1 from public.appointments a where a.is_active and a.org_id = $1
                       and tstzrange(a.scheduled_at, a.ends_at) && tstzrange((d::date + time '10:00') at time zone $2, (d::date + time '16:00') at time zone $2))
     order by d limit 1`, [RIVERSIDE.orgId, RIVERSIDE.tz]);
  if (!row) throw new Error('no free Riverside weekday found');
  return row.day;
}

/** The demo caller's upcoming appointments at Riverside (earlier runs' cancelled ones too): id, status, local start, practitioner, the appointment it was moved from. */
async function riversideAppointments(): Promise<Array<{ id: string; status: string; at: string; practitioner: string | null; rescheduled_from: string | null }>> {
  return (await db.query<{ id: string; status: string; at: string; practitioner: string | null; rescheduled_from: string | null }>(
    `select a.id, a.status, to_char(a.scheduled_at at time zone $3, 'YYYY-MM-DD HH24:MI') as at, p.name as practitioner, a.rescheduled_from
     from public.appointments a join public.leads l on l.id = a.lead_id
     left join public.practitioners p on p.id = a.practitioner_id
     where a.org_id = $1 and l.phone = $2 and a.scheduled_at > now() order by a.created_at, a.id`,
    [RIVERSIDE.orgId, RIVERSIDE_CALLER, RIVERSIDE.tz])).rows;
}

/** Steps 6–9 on Riverside Physio (3 practitioners, a catalogue): "anyone", find, move, cancel — all over HTTP. */
async function riversideCalls(): Promise<Row[]> {
  const rows: Row[] = [];
  // An earlier, interrupted run may have left this caller an upcoming appointment: cancel it the
  // way the clinic would (the cancel function, so its event is written), for a clean find.
  await db.query(
    `select public.cancel_appointment(p_org_id => $1, p_phone => $2, p_appointment_id => a.id)
     from public.appointments a join public.leads l on l.id = a.lead_id
     where a.org_id = $1 and l.phone = $2 and a.is_active and a.scheduled_at > now()`, [RIVERSIDE.orgId, RIVERSIDE_CALLER]);
  const day = await riversideFreeDay();
  const caller = { phone: RIVERSIDE_CALLER };

  const booked = await say(RIVERSIDE.assistantId, { name: 'alex rivera', serviceType: 'a review', date: day, time: '11:00', practitioner: 'anyone' }, 'bookClinicAppointment', caller.phone);
  const afterBook = (await riversideAppointments()).filter((a) => a.status === 'booked');
  const first = afterBook[0];
  rows.push({ step: '6. Riverside: "anyone" books', sent: `alex rivera, "a review" (follow-up alias), ${day} 11:00, anyone`, answer: booked,
    evidence: first ? `assigned ${first.practitioner ?? 'nobody'}, ${first.at} Chicago, status ${first.status}` : 'no appointment',
    ok: isBookedAnswer(booked) && afterBook.length === 1 && first?.practitioner !== null && first?.at === `${day} 11:00` });

  const found = await say(RIVERSIDE.assistantId, {}, 'findAppointment', caller.phone);
  rows.push({ step: '7. Riverside: findAppointment', sent: 'caller id only', answer: found,
    evidence: 'one upcoming appointment, its practitioner named, no names of people',
    ok: /^You have a follow-up on /.test(found) && found.includes('11:00 AM') && first?.practitioner !== undefined && first.practitioner !== null
      && found.includes(first.practitioner) && !/alex/i.test(found) });

  const moved = await say(RIVERSIDE.assistantId, { currentDate: day, newDate: day, newTime: '2:00 PM' }, 'rescheduleAppointment', caller.phone);
  const afterMove = await riversideAppointments();
  const active = afterMove.filter((a) => a.status === 'booked');
  const old = afterMove.find((a) => a.id === first?.id);
  rows.push({ step: '8. Riverside: rescheduleAppointment', sent: `${day} 11:00 → 2:00 PM`, answer: moved,
    evidence: `old ${old?.status ?? 'missing'}; active: ${active.map((a) => `${a.at} ${a.practitioner ?? ''}`).join(', ') || 'none'}`,
    ok: moved.startsWith(RESCHEDULED_OPENING) && old?.status === 'rescheduled' && active.length === 1
      && active[0]?.at === `${day} 14:00` && active[0]?.rescheduled_from === first?.id });

  const cancelled = await say(RIVERSIDE.assistantId, { date: day }, 'cancelAppointment', caller.phone);
  const afterCancel = await riversideAppointments();
  const events = await one<{ kinds: string }>(
    `select string_agg(kind, ', ' order by id) as kinds from public.booking_events where org_id = $1 and appointment_id = any($2::uuid[])`,
    [RIVERSIDE.orgId, [first?.id, active[0]?.id].filter((id) => id !== undefined)]);
  rows.push({ step: '9. Riverside: cancelAppointment', sent: `${day}`, answer: cancelled,
    evidence: `active left: ${afterCancel.filter((a) => a.status === 'booked').length}; outbox: ${events?.kinds ?? 'none'}`,
    ok: /is cancelled\.$/.test(cancelled) && cancelled.includes('2:00 PM') && afterCancel.every((a) => a.status !== 'booked')
      && events?.kinds === 'booked, rescheduled, cancelled' });
  return rows;
}

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.step, r.sent, r.answer, r.evidence, r.ok ? 'PASS' : 'FAIL']);
  process.stdout.write(`${textTable(['step', 'sent', 'answer (spoken)', 'stored / evidence', ''], cells, { maxWidth: 70 })}\n`);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await db.end();
  process.exitCode = 1;
});
