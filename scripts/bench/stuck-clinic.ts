// npm run bench:stuck — one clinic's booking lock held by a stuck transaction, 60 of its
// bookings fired at once, and another clinic's booking latency measured meanwhile against the
// same clinic's latency with nothing stuck, in the same run, through the edge function and the
// local gateway. The scenario is exported: the integration test asserts on the same figures.
import pg from 'pg';
import { BOOKING_LOCK_SQL, backendsBlockedBy } from '../lib/fixtures/booking-lock.ts';
import { waitFor } from '../lib/poll.ts';
import { createOpenOrgs, slotBase, SlotAllocator, PhoneAllocator, type LoadOrg } from './fixtures.ts';
import { functionClient, isBookedAnswer, toolAnswers, vapiEnvelope, type LoopbackClient } from './vapi-client.ts';
import { pctl, summarize, type LatencySummary } from './stats.ts';
import { Lifecycle, startEnvironment } from './environment.ts';

export interface StuckClinicOptions {
  functionUrl: string;
  vapiSecret: string;
  /** A role that may take the clinic's advisory lock (the stack's DATABASE_URL). */
  databaseUrl: string;
  /** Two clinics open around the clock (createOpenOrgs): A gets stuck, B is measured. */
  stuck: LoadOrg;
  measured: LoadOrg;
  stuckCalls?: number;
  samples?: number;
}

export interface StuckClinicFigures {
  /** B's booking latency with nothing stuck, then with A's lock held and A's calls waiting. */
  baseline: LatencySummary;
  whileStuck: LatencySummary;
  /** B calls during the stuck phase that were not answered "booked" (status or answer). */
  measuredFailures: string[];
  /** How A's calls were answered, and how long each waited for its answer. */
  stuckAnswers: Record<string, number>;
  stuckLatency: LatencySummary;
  /** A calls still waiting in the database when B's measurement started. */
  stuckWaitingInDatabase: number;
}

const elapsed = (start: number): number => performance.now() - start;

async function bookOnce(client: LoopbackClient, org: LoadOrg, slot: Date, phone: string, tag: string): Promise<{ ms: number; answer: string }> {
  const body = vapiEnvelope({
    callId: `${tag}-call`, toolCallId: `${tag}-tool`, assistantId: org.assistantId,
    args: { name: 'Stuck Bench', phone, serviceType: 'checkup', scheduledAt: slot.toISOString() },
  });
  const started = performance.now();
  const reply = await client.post(body, 30_000).catch((error: unknown) => ({ status: 0, text: String(error) }));
  const ms = elapsed(started);
  const answers = toolAnswers(reply);
  const only = answers?.[0];
  return { ms, answer: only ? (only.result ?? `error: ${only.error ?? ''}`) : `HTTP ${reply.status}` };
}

async function sampleBookings(client: LoopbackClient, org: LoadOrg, slots: SlotAllocator, phones: PhoneAllocator, n: number, tag: string) {
  const latencies: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const { ms, answer } = await bookOnce(client, org, slots.take(org.id), phones.take(), `${tag}-${i}`);
    latencies.push(ms);
    if (!isBookedAnswer(answer)) failures.push(answer);
  }
  return { latencies, failures };
}

export async function runStuckClinic(options: StuckClinicOptions): Promise<StuckClinicFigures> {
  const stuckCalls = options.stuckCalls ?? 60;
  const samples = options.samples ?? 30;
  const slots = new SlotAllocator(slotBase(3), 30);
  const phones = new PhoneAllocator(7);
  const measuredClient = functionClient(options.functionUrl, options.vapiSecret, 2);
  const stuckClient = functionClient(options.functionUrl, options.vapiSecret, stuckCalls);
  const holder = new pg.Client({ connectionString: options.databaseUrl, application_name: 'stuck-clinic-holder' });
  await holder.connect();
  try {
    // Warm-up, then B's baseline with nothing stuck.
    await sampleBookings(measuredClient, options.measured, slots, phones, 5, 'warm');
    const baseline = await sampleBookings(measuredClient, options.measured, slots, phones, samples, 'baseline');

    // A's lock held by an open transaction, as a stuck staff edit or migration would.
    await holder.query('begin');
    await holder.query(BOOKING_LOCK_SQL, [options.stuck.id]);
    const { rows } = await holder.query<{ pid: number }>('select pg_backend_pid() as pid');
    const holderPid = rows[0]?.pid ?? -1;
    const stuckAnswers: Record<string, number> = {};
    const stuckLatencies: number[] = [];
    const stuck = Array.from({ length: stuckCalls }, (_, i) =>
      bookOnce(stuckClient, options.stuck, slots.take(options.stuck.id), phones.take(), `stuck-${i}`).then(({ ms, answer }) => {
        stuckLatencies.push(ms);
        const key = isBookedAnswer(answer) ? 'booked' : answer;
        stuckAnswers[key] = (stuckAnswers[key] ?? 0) + 1;
      }));

    // Until A's calls are queued in the database (at most ~3 s: they are all sent at once).
    const watch = new pg.Client({ connectionString: options.databaseUrl, application_name: 'stuck-clinic-watch' });
    await watch.connect();
    let waiting = 0;
    try {
      waiting = await waitFor(async () => await backendsBlockedBy(watch, holderPid) || undefined, { what: 'A calls queued on the lock', timeoutMs: 3000 })
        .catch(() => 0); // none queued in the database (the waiter cap answered them all): measure anyway
    } finally {
      await watch.end();
    }

    const whileStuck = await sampleBookings(measuredClient, options.measured, slots, phones, samples, 'stuck-phase');
    await Promise.all(stuck);
    await holder.query('rollback');
    return {
      baseline: summarize(baseline.latencies),
      whileStuck: summarize(whileStuck.latencies),
      measuredFailures: whileStuck.failures,
      stuckAnswers,
      stuckLatency: summarize(stuckLatencies),
      stuckWaitingInDatabase: waiting,
    };
  } finally {
    measuredClient.close();
    stuckClient.close();
    await holder.end().catch(() => undefined);
  }
}

export function describeFigures(f: StuckClinicFigures): string[] {
  return [
    `clinic B, nothing stuck:          ${pctl(f.baseline)} (max ${f.baseline.max.toFixed(1)} ms, n=${f.baseline.n})`,
    `clinic B, A stuck + 60 A calls:   ${pctl(f.whileStuck)} (max ${f.whileStuck.max.toFixed(1)} ms, n=${f.whileStuck.n}), not booked: ${f.measuredFailures.length}`,
    `A calls waiting in the database when B was measured: ${f.stuckWaitingInDatabase}`,
    `clinic A answers: ${JSON.stringify(f.stuckAnswers)}`,
    `clinic A answer time: ${pctl(f.stuckLatency)} (longest ${f.stuckLatency.max.toFixed(0)} ms)`,
  ];
}

async function main(life: Lifecycle): Promise<number> {
  const env = await startEnvironment(life, 'bench-stuck');
  const admin = new pg.Client({ connectionString: env.databaseUrl });
  await admin.connect();
  life.defer('admin connection', () => admin.end());
  const [stuck, measured] = await createOpenOrgs(admin, 2, 'stuck');
  if (!stuck || !measured) throw new Error('clinics not created');
  life.say('measuring clinic B with nothing stuck, then with clinic A stuck and 60 A calls waiting');
  const figures = await runStuckClinic({ functionUrl: env.fn.url, vapiSecret: env.vapiSecret, databaseUrl: env.databaseUrl, stuck, measured });
  for (const line of describeFigures(figures)) process.stdout.write(`${line}\n`);
  return figures.measuredFailures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const life = new Lifecycle('bench:stuck');
  life.run(() => main(life));
}
