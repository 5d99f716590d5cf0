// npm run soak [-- --seconds N] — mixed Vapi traffic over 50 clinics through the edge function
// (loopback only) on an isolated, fresh `soak` stack, then a database audit. Exit 1 when the
// audit fails or an answer broke a rule (double booking, invalid input booked, internals leaked,
// 5xx). Not part of CI.
import pg from 'pg';
import { Lifecycle, startEnvironment } from './bench/environment.ts';
import { createOpenOrgs } from './bench/fixtures.ts';
import { functionClient, vapiEnvelope } from './bench/vapi-client.ts';
import { parseArgs } from './ops/cli-args.ts';
import { waitFor } from './lib/poll.ts';
import { pctl, summarize } from './bench/stats.ts';
import { textTable } from './lib/table.ts';
import { SoakTraffic, type Scenario, type Violation } from './soak/traffic.ts';
import { type AnswerClass } from './soak/answers.ts';
import { formatAudit, runAudit } from './ops/audit-checks.ts';

const STACK = 'soak';
const CLINICS = 50;
const WORKERS = 12;
// No DST, whole- or half-hour offsets: the slot grid stays inside each clinic's local day.
const TIME_ZONES = ['UTC', 'America/Phoenix', 'Asia/Kolkata', 'Asia/Tokyo', 'Africa/Nairobi'];
const USAGE = 'usage: npm run soak [-- --seconds N]   (default 60)';

const say = (text = ''): void => { process.stdout.write(`${text}\n`); };

/** The call id of the last request: its log line means every earlier one has been read. */
const DRAIN_CALL_ID = 'soak-drain';

function parseSeconds(argv: readonly string[]): number | string {
  let value: string | undefined;
  try {
    value = parseArgs(argv, { values: ['seconds'], flags: [] }).values.seconds;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (value === undefined) return 60;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 3600) return '--seconds takes a whole number from 1 to 3600';
  return Number(value);
}

async function main(life: Lifecycle): Promise<number> {
  const seconds = parseSeconds(process.argv.slice(2));
  if (typeof seconds === 'string') {
    process.stderr.write(`soak: ${seconds}\n${USAGE}\n`);
    return 2;
  }

  // The function's own per-call log: BOOKED (a new row) vs REPLAYED (a retry answered again).
  const logged = new Map<string, number>();
  let drained = false;
  const onFunctionOutput = (line: string): void => {
    if (!line.startsWith('{')) return;
    try {
      const parsed = JSON.parse(line) as { event?: unknown; outcome?: unknown; callId?: unknown };
      if (parsed.event === 'tool_call' && parsed.callId === DRAIN_CALL_ID) drained = true;
      else if (parsed.event === 'tool_call' && typeof parsed.outcome === 'string') logged.set(parsed.outcome, (logged.get(parsed.outcome) ?? 0) + 1);
    } catch { /* not a log line */ }
  };

  life.say(`starting the ${STACK} stack, gateway and function`);
  const env = await startEnvironment(life, STACK, onFunctionOutput);
  const admin = new pg.Client({ connectionString: env.databaseUrl, application_name: 'soak-admin' });
  await admin.connect();
  life.defer('admin connection', () => admin.end());
  const orgs = await createOpenOrgs(admin, CLINICS, 'soak', TIME_ZONES);

  const client = functionClient(env.fn.url, env.vapiSecret, 64);
  const wrongSecret = functionClient(env.fn.url, 'not-the-secret', 4);
  life.defer('http clients', async () => { client.close(); wrongSecret.close(); });
  const traffic = new SoakTraffic(orgs, client, wrongSecret);

  life.say(`${seconds} s of mixed traffic: ${WORKERS} callers in a loop over ${CLINICS} clinics (${TIME_ZONES.join(', ')})`);
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const progress = setInterval(() => {
    const sent = [...traffic.requests.values()].reduce((a, b) => a + b, 0);
    life.say(`${Math.round((Date.now() - started) / 1000)} s: ${sent} requests, ${traffic.bookedKeys.size} bookings answered`);
  }, 10_000);
  try {
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      while (Date.now() < deadline) await traffic.runOne();
    }));
  } finally {
    clearInterval(progress);
  }
  const wallMs = Date.now() - started;
  // The function's log lines come through a pipe: one last call, once its line is read, every
  // earlier line has been (the answers all came back, and each logged before answering).
  const last = orgs[0];
  if (!last) throw new Error('no clinic');
  await client.post(vapiEnvelope({ callId: DRAIN_CALL_ID, toolCallId: DRAIN_CALL_ID, assistantId: last.assistantId, toolName: 'checkAvailability', args: { date: 'tomorrow' } }));
  await waitFor(() => drained, { what: "the function's last log lines", timeoutMs: 5000 });

  // --- traffic tally ---
  const scenarios: Scenario[] = ['normal', 'race', 'retry', 'invalid', 'http-invalid', 'availability'];
  const classes = [...new Set([...traffic.tally.values()].flatMap((m) => [...m.keys()]))].sort(classOrder);
  const rows = scenarios.map((s) => [s, String(traffic.requests.get(s) ?? 0), ...classes.map((c) => String(traffic.tally.get(s)?.get(c) ?? ''))]);
  const total = [...traffic.requests.values()].reduce((a, b) => a + b, 0);
  rows.push(['total', String(total), ...classes.map((c) => String(scenarios.reduce((n, s) => n + (traffic.tally.get(s)?.get(c) ?? 0), 0)))]);
  say('');
  say(`Traffic: ${total} requests in ${(wallMs / 1000).toFixed(1)} s (${Math.round(total / (wallMs / 1000))}/s), ${pctl(summarize(traffic.latencies))}`);
  say('');
  say(textTable(['scenario', 'requests', ...classes], rows));
  say('');
  say(`Function log outcomes: ${[...logged.entries()].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const hard = traffic.violations.filter((v) => v.severity === 'hard');
  const soft = traffic.violations.filter((v) => v.severity === 'soft');
  say(`Expectations: ${hard.length} broken, ${soft.length} soft misses (refused as busy/unavailable)`);
  for (const line of summarizeViolations(traffic.violations)) say(`  ${line}`);

  // --- database audit ---
  const auditClient = new pg.Client({ connectionString: env.databaseUrl, application_name: 'soak-audit' });
  await auditClient.connect();
  life.defer('audit connection', () => auditClient.end());
  const report = await runAudit(auditClient);
  const { rows: counts } = await auditClient.query<{ appointments: number; active: number; leads: number }>(
    `select (select count(*)::int from public.appointments where org_id = any($1::uuid[])) as appointments,
            (select count(*)::int from public.appointments where org_id = any($1::uuid[]) and is_active) as active,
            (select count(*)::int from public.leads where org_id = any($1::uuid[])) as leads`,
    [orgs.map((o) => o.id)],
  );
  const stored = counts[0] ?? { appointments: -1, active: -1, leads: -1 };
  const expected = traffic.bookedKeys.size;
  const countOk = stored.appointments === expected && stored.active === expected;
  const loggedBooked = logged.get('BOOKED') ?? 0;
  const logOk = loggedBooked === stored.appointments;
  say('');
  say(formatAudit(report, `${STACK} stack`));
  say(`appointments = distinct bookings answered: ${countOk ? 'pass' : 'FAIL'}  ${stored.appointments} stored (${stored.active} active), ${expected} distinct (call id, slot, phone) answered booked; ${stored.leads} leads`);
  say(`appointments = BOOKED in the function's log: ${logOk ? 'pass' : 'FAIL'}  ${loggedBooked} logged BOOKED (${logged.get('REPLAYED') ?? 0} REPLAYED)`);
  const ok = report.ok && countOk && logOk && hard.length === 0;
  say('');
  say(ok ? 'SOAK PASSED' : 'SOAK FAILED');
  return ok ? 0 : 1;
}

const ORDER: readonly AnswerClass[] = ['BOOKED', 'SLOT_UNAVAILABLE', 'AVAILABILITY', 'TRY_AGAIN', 'UNAVAILABLE'];
function classOrder(a: AnswerClass, b: AnswerClass): number {
  const rank = (c: AnswerClass): number => (ORDER.includes(c) ? ORDER.indexOf(c) : ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function summarizeViolations(violations: readonly Violation[]): string[] {
  const counts = new Map<string, number>();
  for (const v of violations) {
    const key = `${v.severity} ${v.scenario}: ${v.what.replace(/\d+ of \d+/g, 'n of m')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `${n}× ${k}`);
}

const life = new Lifecycle('soak');
life.run(() => main(life));
