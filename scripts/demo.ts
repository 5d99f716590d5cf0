// npm run demo — the release scenario over HTTP against the running `npm run dev` stack,
// printed as a table. Exit 1 when any step does not behave as promised.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readEnvFile } from './lib/env-file.ts';
import { stackPaths } from './lib/stack.ts';
import { textTable } from './lib/table.ts';
import { vapiToolCalls } from './lib/fixtures/vapi-message.ts';
import { isBookedAnswer, SLOT_TAKEN_OPENING } from '../supabase/functions/_shared/speech.ts';

const SUNRISE = { orgId: 'a0000000-0000-0000-0000-000000000001', assistantId: 'demo-assistant-sunrise', tz: 'America/New_York' };
const HARBOUR = { orgId: 'b0000000-0000-0000-0000-000000000002', assistantId: 'demo-assistant-harbour', tz: 'Europe/London' };

interface Row { step: string; sent: string; answer: string; evidence: string; ok: boolean }

const env = readEnvFile(stackPaths().envFile);
if (!env.FUNCTION_URL || !env.VAPI_SECRET || !env.DATABASE_URL) {
  process.stderr.write('No running stack found (.local/stack.env has no FUNCTION_URL): start it with `npm run dev` in another terminal.\n');
  process.exit(2);
}
const db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });

async function say(assistantId: string, args: Record<string, unknown>): Promise<string> {
  const response = await fetch(env.FUNCTION_URL ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-vapi-secret': env.VAPI_SECRET ?? '' },
    body: JSON.stringify(vapiToolCalls([{ id: `tc-${randomUUID()}`, arguments: args }], { id: `demo-${randomUUID()}`, assistantId })),
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

  printTable(rows);
  await db.end();
  const failed = rows.filter((r) => !r.ok).length;
  process.stdout.write(`\n${rows.length - failed}/${rows.length} steps behaved as promised\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.step, r.sent, r.answer, r.evidence, r.ok ? 'ok' : 'FAIL']);
  process.stdout.write(`${textTable(['step', 'sent', 'answer (spoken)', 'stored / evidence', ''], cells, { maxWidth: 70 })}\n`);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await db.end();
  process.exitCode = 1;
});
