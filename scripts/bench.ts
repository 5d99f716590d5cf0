// npm run bench [-- --quick | --scale] — latency, throughput and contention figures of the booking path,
// on an isolated, fresh `bench` stack (Postgres + RPC gateway + edge function under Deno) that
// is destroyed afterwards. Prints a summary and writes .local/bench/latest.{json,md}.
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { stackPaths } from './lib/stack.ts';
import { waitFor } from './lib/poll.ts';
import { parseArgs, wantsHelp } from './ops/cli-args.ts';
import { Lifecycle, startEnvironment, type Environment } from './bench/environment.ts';
import { createFloorLeads, createOpenOrgs, fillCalendar, PhoneAllocator, SlotAllocator, slotBase, type LoadOrg } from './bench/fixtures.ts';
import {
  activeRowsOverlapping, bookExpectingSuccess, callBook, callNaive, closeClients, connectClients, floorInsert, NAIVE_SCHEMA_SQL, race,
  type Booking, type RaceResult,
} from './bench/db-load.ts';
import { runClosedLoop, type LoopResult } from './bench/loop.ts';
import { functionClient, isBookedAnswer, LoopbackClient, toolAnswers, vapiEnvelope } from './bench/vapi-client.ts';
import { CpuAccumulator, describeCores, type CpuComponents } from './bench/cpu.ts';
import { pgbenchBoth, type PgbenchFigures } from './bench/pgbench.ts';
import { explainBooking, profileStatements, timeNearestFreeSlots, type ExplainedStatement, type StatementCost } from './bench/profile.ts';
import { ms, pctl, summarize, type LatencySummary } from './bench/stats.ts';
import { describeMachine, figureRows, machineLines, verdict, writeReport, type Figure, type Machine } from './bench/report.ts';
import { markdownTable, textTable } from './lib/table.ts';
import { startStack, stopStack } from './lib/stack.ts';
import { measureScale } from './bench/scale.ts';
import { scaleFigures, SCALE_SIZES, SCALE_STACK } from './bench/scale-report.ts';

const STACK = 'bench';
const ORGS = 100;
const CLIENTS = 16;
const RACERS = 200;
const HTTP_CONCURRENCY = 20;
const MINUTES = 15;
/** book_appointment_atomic's total wait budget (docs/tenancy-and-waits.md). */
const WAIT_BUDGET_MS = 3000;

const TARGETS = {
  functionP95Ms: 1.5,
  bookingsPerSecond: 4000,
  costVsFloor: 3,
  httpP95Ms: 25,
};

interface Sizes {
  warmup: number;
  oneClient: number;
  floorOneClient: number;
  throughputRounds: number;
  throughputCalls: number;
  contentionRuns: number;
  naiveRuns: number;
  httpSequential: number;
  httpConcurrent: number;
  gatewayDirect: number;
  profileCalls: number;
  pgbenchSeconds: number;
}

const FULL: Sizes = {
  warmup: 300, oneClient: 1000, floorOneClient: 1000, throughputRounds: 3, throughputCalls: 15_000,
  contentionRuns: 3, naiveRuns: 5, httpSequential: 500, httpConcurrent: 2000, gatewayDirect: 2000, profileCalls: 5000, pgbenchSeconds: 10,
};
const QUICK: Sizes = {
  warmup: 200, oneClient: 1000, floorOneClient: 500, throughputRounds: 2, throughputCalls: 4000,
  contentionRuns: 1, naiveRuns: 3, httpSequential: 300, httpConcurrent: 1000, gatewayDirect: 1000, profileCalls: 2000, pgbenchSeconds: 4,
};

interface LoopFigures {
  calls: number;
  failures: number;
  failureSamples: string[];
  wallMs: number;
  perSecond: number;
  latency: LatencySummary;
  clientCpuMs: number;
}

function loopFigures(runs: readonly LoopResult[]): LoopFigures {
  const latencies = runs.flatMap((r) => r.latencies);
  const wallMs = runs.reduce((s, r) => s + r.wallMs, 0);
  return {
    calls: latencies.length,
    failures: runs.reduce((s, r) => s + r.failures, 0),
    failureSamples: runs.flatMap((r) => r.failureSamples).slice(0, 5),
    wallMs,
    perSecond: latencies.length / (wallMs / 1000),
    latency: summarize(latencies),
    clientCpuMs: runs.reduce((s, r) => s + r.clientCpuMs, 0),
  };
}

interface Results {
  generatedAt: string;
  mode: 'quick' | 'full';
  sizes: Sizes;
  machine: Machine;
  /** Other work on the machine skews every figure: compare with machine.loadAverageAtStart. */
  loadAverageAtEnd: number[];
  functionOneClient: LoopFigures;
  floorOneClient: LoopFigures;
  throughput: {
    ours: LoopFigures;
    floor: LoopFigures;
    costRatio: number;
    rounds: Array<{ kind: 'ours' | 'floor'; perSecond: number }>;
    /** Average cores used per component during the runs. */
    cores: { ours: Record<string, number>; floor: Record<string, number> };
    /** The same two workloads from pgbench (C, prepared), for the client's share. */
    pgbench: PgbenchFigures;
  };
  contention: RaceResult[];
  naive: RaceResult[];
  nearestFreeSlots: LatencySummary;
  /** The same on a clinic with a full calendar. */
  nearestFreeSlotsBusy: LatencySummary;
  http: HttpResults;
  profile: StatementCost[];
  explain: { booked: ExplainedStatement[]; refused: ExplainedStatement[] };
  contentionBusy: RaceResult[];
  figures: Figure[];
}

interface HttpResults {
  sequential: LoopFigures;
  concurrent: LoopFigures;
  concurrentServerRpcMs: LatencySummary;
  concurrentServerTotalMs: LatencySummary;
  concurrentCores: Record<string, number>;
  /** The same booking RPC straight at the gateway (no edge function), same concurrency. */
  gatewayDirect: LoopFigures;
  gatewayDirectCores: Record<string, number>;
}

const say = (text = ''): void => { process.stdout.write(`${text}\n`); };
const BENCH_USAGE = 'npm run bench [-- --quick | --scale]';

/** What every step shares: the stack, an admin connection, the clinics and fresh slots/phones. */
interface BenchRun {
  life: Lifecycle;
  sizes: Sizes;
  env: Environment;
  admin: pg.Client;
  cpuComponents: CpuComponents;
  orgs: LoadOrg[];
  /** Each clinic's pre-made lead, for the bare-insert floor. */
  leads: Awaited<ReturnType<typeof createFloorLeads>>;
  slots: SlotAllocator;
  phones: PhoneAllocator;
  /** A booking on a fresh slot of `org`, with its own idempotency key. */
  booking: (org: LoadOrg) => Booking;
  /** n bookings, job j for clinic j mod 100: the calls in flight at any moment are for different clinics. */
  spread: (n: number) => Booking[];
  /** The bare-insert floor of a booking (its clinic's pre-made lead). */
  floorInsertOf: (client: pg.Client, b: Booking) => Promise<string | null>;
  /** Turns capture of the function's per-call log lines on (a fresh list) or off. */
  setCapture: (on: boolean) => Array<{ rpcMs: number; totalMs: number }> | null;
}

function parseMode(argv: readonly string[]): 'quick' | 'full' | 'scale' | null {
  try {
    const { flags } = parseArgs(argv, { values: [], flags: ['quick', 'scale'] });
    return flags.scale ? 'scale' : flags.quick ? 'quick' : 'full';
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\nusage: ${BENCH_USAGE}\n`);
    return null;
  }
}

async function setUp(life: Lifecycle, sizes: Sizes, quick: boolean): Promise<BenchRun> {
  // The function's per-call log lines, captured only while the concurrent HTTP run is measured.
  let capture: Array<{ rpcMs: number; totalMs: number }> | null = null;
  const onFunctionOutput = (line: string): void => {
    if (!capture || !line.startsWith('{')) return;
    try {
      const parsed = JSON.parse(line) as { event?: unknown; rpcMs?: unknown; totalMs?: unknown };
      if (parsed.event === 'tool_call' && typeof parsed.rpcMs === 'number' && typeof parsed.totalMs === 'number') {
        capture.push({ rpcMs: parsed.rpcMs, totalMs: parsed.totalMs });
      }
    } catch { /* not a log line */ }
  };

  life.say(`starting the ${STACK} stack, gateway and function (${quick ? 'quick' : 'full'} run)`);
  const env = await startEnvironment(life, STACK, onFunctionOutput);
  const admin = new pg.Client({ connectionString: env.databaseUrl, application_name: 'bench-admin' });
  await admin.connect();
  life.defer('admin connection', () => admin.end());

  const orgs = await createOpenOrgs(admin, ORGS, 'bench');
  const leads = await createFloorLeads(admin, orgs);
  const slots = new SlotAllocator(slotBase(2));
  const phones = new PhoneAllocator(0);
  let keys = 0;
  const booking = (org: LoadOrg): Booking => {
    keys += 1;
    return { orgId: org.id, name: 'Bench Caller', phone: phones.take(), at: slots.take(org.id), minutes: MINUTES, key: `bench:${keys}` };
  };
  const leadOf = (b: Booking): string => {
    const lead = leads.get(b.orgId);
    if (!lead) throw new Error('floor lead missing');
    return lead;
  };
  return {
    life, sizes, env, admin, orgs, leads, slots, phones, booking,
    cpuComponents: {
      gatewayPid: env.gateway.child.pid,
      functionPid: env.fn.child.pid,
      postgresDataDir: path.join(stackPaths(STACK).clusterPath, 'data'),
    },
    spread: (n) => Array.from({ length: n }, (_, j) => booking(orgs[j % orgs.length] as LoadOrg)),
    floorInsertOf: (c, b) => floorInsert(c, b, leadOf(b)),
    setCapture: (on) => { capture = on ? [] : null; return capture; },
  };
}

/** 1. One client, one connection, sequential: ours and the bare insert. */
async function measureOneClient(run: BenchRun): Promise<Pick<Results, 'functionOneClient' | 'floorOneClient'>> {
  const { life, env, sizes, spread } = run;
  life.say('function latency, 1 client');
  const [single] = await connectClients(env.databaseUrl, 1, 'bench-1');
  if (!single) throw new Error('no connection');
  life.defer('1-client connection', () => single.end());
  await runClosedLoop([single], spread(sizes.warmup), bookExpectingSuccess);
  await runClosedLoop([single], spread(sizes.warmup), run.floorInsertOf);
  const functionOneClient = loopFigures([await runClosedLoop([single], spread(sizes.oneClient), bookExpectingSuccess)]);
  const floorOneClient = loopFigures([await runClosedLoop([single], spread(sizes.floorOneClient), run.floorInsertOf)]);
  return { functionOneClient, floorOneClient };
}

/**
 * 2. 16 clients over 100 clinics: ours and the bare-insert floor, alternating (ABBA…) so drift in
 * the machine's load hits both alike; then pgbench on the same workloads. The 16 connections stay
 * open for the profile.
 */
async function measureThroughput(run: BenchRun): Promise<{ throughput: Results['throughput']; clients: pg.Client[] }> {
  const { life, env, sizes, spread } = run;
  life.say(`throughput, ${CLIENTS} clients over ${ORGS} clinics: ours vs bare insert`);
  const clients = await connectClients(env.databaseUrl, CLIENTS, 'bench-16');
  life.defer('16 connections', () => closeClients(clients));
  await runClosedLoop(clients, spread(sizes.warmup * 4), bookExpectingSuccess);
  const runs = { ours: [] as LoopResult[], floor: [] as LoopResult[] };
  const cpu = { ours: new CpuAccumulator(run.cpuComponents), floor: new CpuAccumulator(run.cpuComponents) };
  const rounds: Results['throughput']['rounds'] = [];
  for (let round = 0; round < sizes.throughputRounds; round += 1) {
    const order: Array<'ours' | 'floor'> = round % 2 === 0 ? ['floor', 'ours'] : ['ours', 'floor'];
    for (const kind of order) {
      const jobs = spread(sizes.throughputCalls);
      const result = await cpu[kind].measure(() => runClosedLoop(clients, jobs, kind === 'ours' ? bookExpectingSuccess : run.floorInsertOf));
      runs[kind].push(result);
      rounds.push({ kind, perSecond: result.latencies.length / (result.wallMs / 1000) });
    }
  }
  const ours = loopFigures(runs.ours);
  const floor = loopFigures(runs.floor);
  life.say(`pgbench, same workloads, ${CLIENTS} clients, ${sizes.pgbenchSeconds} s each`);
  const pgbench = await pgbenchBoth(run.admin, env.databaseUrl, run.orgs, run.leads, CLIENTS, sizes.pgbenchSeconds);
  return {
    throughput: { ours, floor, costRatio: floor.perSecond / ours.perSecond, rounds, cores: { ours: cpu.ours.cores(), floor: cpu.floor.cores() }, pgbench },
    clients,
  };
}
/** 3 and 4. 200 connections on one slot, released together: ours (an empty and a full calendar), then naive. */
async function measureContention(run: BenchRun): Promise<Pick<Results, 'contention' | 'contentionBusy' | 'naive' | 'nearestFreeSlots' | 'nearestFreeSlotsBusy'>> {
  const { life, env, admin, orgs, phones, sizes } = run;
  life.say(`contention: ${RACERS} concurrent attempts on one slot (ours, then naive)`);
  const racers = await connectClients(env.databaseUrl, RACERS, 'bench-race');
  life.defer('race connections', () => closeClients(racers));
  await admin.query(NAIVE_SCHEMA_SQL);
  // Warm connections, as a pooled API's are: each racer has booked once (its plans are cached)
  // and called the naive function once, on other slots.
  const warmSlots = new SlotAllocator(slotBase(40));
  await Promise.all(racers.map(async (client, i) => {
    const org = orgs[i % orgs.length] as LoadOrg;
    await callBook(client, { orgId: org.id, name: 'Warm Up', phone: phones.take(), at: warmSlots.take(org.id), minutes: MINUTES, key: null });
    await callNaive(client, org.id, phones.take(), warmSlots.take(org.id), MINUTES);
  }));
  const raceSlot = new Date(slotBase(3).getTime() + 10 * 3_600_000);
  // A clinic with nothing booked, or one whose next two weeks are full but for the :15/:45
  // starts: every refused racer computes alternatives against that calendar, under the lock.
  const raceOurs = async (runs: number, prefix: string, busy: boolean): Promise<RaceResult[]> => {
    const out: RaceResult[] = [];
    const at = busy ? new Date(raceSlot.getTime() + 15 * 60_000) : raceSlot;
    for (const org of await createOpenOrgs(admin, runs, prefix)) {
      if (busy) await fillCalendar(admin, org.id, slotBase(1), 16);
      const result = await race(racers, (client, i) => callBook(client, {
        orgId: org.id, name: `Racer ${i}`, phone: phones.take(), at, minutes: MINUTES, key: null,
      }));
      out.push({ ...result, rowsInSlot: await activeRowsOverlapping(admin, 'public.appointments', org.id, at, MINUTES) });
    }
    return out;
  };
  const contention = await raceOurs(sizes.contentionRuns, 'race', false);
  const contentionBusy = await raceOurs(1, 'race-busy', true);

  // 4. The same race against check-then-insert without lock or constraint (scratch schema).
  const naive: RaceResult[] = [];
  for (let round = 0; round < sizes.naiveRuns; round += 1) {
    const orgId = orgs[round % orgs.length]?.id ?? '';
    const result = await race(racers, (client, i) => callNaive(client, orgId, `+1555777${String(i).padStart(4, '0')}`, raceSlot, MINUTES));
    naive.push({ ...result, rowsInSlot: await activeRowsOverlapping(admin, 'bench_naive.appointments', orgId, raceSlot, MINUTES) });
  }
  const nearest = await measureNearestFreeSlots(run, raceSlot);
  await closeClients(racers);
  return { contention, contentionBusy, naive, ...nearest };
}

/** What each refused racer computes while it holds the clinic's lock: the nearest free slots. */
async function measureNearestFreeSlots(run: BenchRun, raceSlot: Date): Promise<Pick<Results, 'nearestFreeSlots' | 'nearestFreeSlotsBusy'>> {
  const { admin, env, phones } = run;
  const [nearestOrg] = await createOpenOrgs(admin, 1, 'nearest');
  if (!nearestOrg) throw new Error('no org');
  await callBook(admin, { orgId: nearestOrg.id, name: 'Holder', phone: phones.take(), at: raceSlot, minutes: MINUTES, key: null });
  const nearestFreeSlots = await timeNearestFreeSlots(env.superuserUrl, nearestOrg.id, raceSlot, MINUTES, 50);
  // The same on a clinic whose next two weeks are full but for the :15/:45 starts (as in the race above).
  const [nearestBusyOrg] = await createOpenOrgs(admin, 1, 'nearest-busy');
  if (!nearestBusyOrg) throw new Error('no org');
  await fillCalendar(admin, nearestBusyOrg.id, slotBase(1), 16);
  const nearestFreeSlotsBusy = await timeNearestFreeSlots(env.superuserUrl, nearestBusyOrg.id, raceSlot, MINUTES, 50);
  return { nearestFreeSlots, nearestFreeSlotsBusy };
}

/** 6. Where the time goes inside Postgres: pg_stat_statements over a load, auto_explain of two bookings. */
async function measureInsidePostgres(run: BenchRun, clients: pg.Client[]): Promise<Pick<Results, 'profile' | 'explain'>> {
  const { life, env, sizes, spread, booking, phones } = run;
  life.say('profile: pg_stat_statements (track = all) and auto_explain of single bookings');
  const profile = await profileStatements(env.superuserUrl, sizes.profileCalls, async () => {
    await runClosedLoop(clients, spread(sizes.profileCalls), bookExpectingSuccess);
  });
  const explainOrg = run.orgs[0] as LoadOrg;
  const explained = booking(explainOrg);
  // Each plan is taken on a fresh connection whose first booking (in the same rolled-back
  // transaction) warmed the function's cached plans, so the timings are a warm booking's.
  const bookedPlan = await explainBooking(env.superuserUrl, explained, async (db) => {
    const warm = booking(explainOrg);
    await db.query('select public.book_appointment_atomic($1, $2, null, $3, $4, $5, $6)', [warm.orgId, 'Warm Up', warm.phone, 'checkup', warm.at, warm.minutes]);
  });
  const refusedPlan = await explainBooking(env.superuserUrl, { ...explained, phone: phones.take(), key: null }, async (db) => {
    await db.query(
      'select public.book_appointment_atomic($1, $2, null, $3, $4, $5, $6)',
      [explained.orgId, 'First Caller', explained.phone, 'checkup', explained.at, explained.minutes],
    );
  });
  return { profile, explain: { booked: bookedPlan.statements, refused: refusedPlan.statements } };
}

function printSummary(results: Results): void {
  const { machine, figures, throughput, http } = results;
  say('');
  say(`Bench (${results.mode}) on ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, PostgreSQL ${machine.postgres}, Node ${machine.node}`);
  say(`Load average at start ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${results.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')} (other work on these cores skews every figure)`);
  say('');
  say(textTable(['Figure', 'Value', 'Target', ''], figureRows(figures)));
  say('');
  say('Inside Postgres, per booking (pg_stat_statements, track = all, 16 clients):');
  say(textTable(['µs/booking', 'mean ms', 'calls', 'statement'], profileRows(results.profile, 90)));
  say('');
  say('Cores used (2 available) —');
  say(`  ${CLIENTS}-client bookings:    ${describeCores(throughput.cores.ours)}`);
  say(`  ${CLIENTS}-client bare insert: ${describeCores(throughput.cores.floor)}`);
  say(`  HTTP, ${HTTP_CONCURRENCY} in flight:    ${describeCores(http.concurrentCores)}`);
  say(`  gateway RPC direct:    ${describeCores(http.gatewayDirectCores)}`);
  const loops = [results.functionOneClient, results.floorOneClient, throughput.ours, throughput.floor, http.sequential, http.concurrent, http.gatewayDirect];
  const failures = loops.flatMap((f) => f.failureSamples);
  if (failures.length) say(`\nFailure samples: ${failures.slice(0, 5).join(' | ')}`);
}

async function main(life: Lifecycle): Promise<number> {
  const mode = parseMode(process.argv.slice(2));
  if (mode === null) return 2;
  if (mode === 'scale') return scaleMain(life);
  const quick = mode === 'quick';
  const sizes = quick ? QUICK : FULL;
  const loadAtStart = os.loadavg();
  const started = Date.now();

  const run = await setUp(life, sizes, quick);
  const { rows: versionRows } = await run.admin.query<{ v: string }>("select pg_catalog.current_setting('server_version') as v");
  const machine = describeMachine(versionRows[0]?.v ?? 'unknown', loadAtStart);

  const oneClient = await measureOneClient(run);
  const { throughput, clients } = await measureThroughput(run);
  const races = await measureContention(run);
  // 5. HTTP end to end: Vapi envelope → edge function → gateway → Postgres → spoken answer.
  life.say(`HTTP tool calls: ${sizes.httpSequential} sequential, ${sizes.httpConcurrent} with ${HTTP_CONCURRENCY} in flight`);
  const http = await httpPhase(run.env, run.orgs, run.slots, run.phones, sizes, run.cpuComponents, run.setCapture);
  const inside = await measureInsidePostgres(run, clients);

  const measured = { ...oneClient, throughput, ...races, http };
  const results: Results = {
    generatedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    sizes,
    machine,
    loadAverageAtEnd: os.loadavg(),
    ...measured,
    ...inside,
    figures: buildFigures(measured),
  };
  printSummary(results);
  const files = writeReport(stackPaths(STACK).dir, results, renderMarkdown(results));
  say('');
  say(`Report: ${path.relative(process.cwd(), files.markdownFile)} and ${path.relative(process.cwd(), files.jsonFile)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return 0;
}

async function httpPhase(
  env: Environment,
  orgs: readonly LoadOrg[],
  slots: SlotAllocator,
  phones: PhoneAllocator,
  sizes: Sizes,
  cpuComponents: CpuComponents,
  setCapture: (on: boolean) => Array<{ rpcMs: number; totalMs: number }> | null,
): Promise<HttpResults> {
  let n = 0;
  const bodies = (count: number): string[] => Array.from({ length: count }, (_, j) => {
    n += 1;
    const org = orgs[j % orgs.length] as LoadOrg;
    return vapiEnvelope({
      callId: `bench-call-${n}`,
      toolCallId: `bench-tool-${n}`,
      assistantId: org.assistantId,
      args: { name: 'bench caller', phone: phones.take(), serviceType: 'checkup', scheduledAt: slots.take(org.id).toISOString() },
    });
  });
  const expectBooked = async (client: LoopbackClient, body: string): Promise<string | null> => {
    const reply = await client.post(body);
    const answer = toolAnswers(reply)?.[0];
    return isBookedAnswer(answer?.result) ? null : `HTTP ${reply.status}: ${reply.text.slice(0, 160)}`;
  };
  const rpcBodies = (count: number): string[] => Array.from({ length: count }, (_, j) => {
    n += 1;
    const org = orgs[j % orgs.length] as LoadOrg;
    return JSON.stringify({
      p_org_id: org.id, p_name: 'Bench Caller', p_email: null, p_phone: phones.take(), p_service_type: 'checkup',
      p_scheduled_at: slots.take(org.id).toISOString(), p_duration_minutes: MINUTES, p_idempotency_key: `bench-rpc:${n}`,
    });
  });
  const expectSuccess = async (client: LoopbackClient, body: string): Promise<string | null> => {
    const reply = await client.post(body);
    if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.text.slice(0, 160)}`;
    return (JSON.parse(reply.text) as { success?: unknown }).success === true ? null : reply.text.slice(0, 160);
  };

  const serviceKey = env.stack.SERVICE_ROLE_KEY ?? '';
  const one = functionClient(env.fn.url, env.vapiSecret, 1);
  const many = functionClient(env.fn.url, env.vapiSecret, HTTP_CONCURRENCY);
  const gateway = new LoopbackClient(`${env.gateway.url}/rest/v1/rpc/book_appointment_atomic`, { apikey: serviceKey, authorization: `Bearer ${serviceKey}` }, HTTP_CONCURRENCY);
  const slotsOf = <T>(client: T): T[] => Array.from({ length: HTTP_CONCURRENCY }, () => client);
  try {
    // Warm-up: Deno compiles lazily, and the function caches each clinic's route for a minute.
    await runClosedLoop(slotsOf(many), bodies(Math.max(200, orgs.length * 2)), expectBooked);
    const sequential = loopFigures([await runClosedLoop([one], bodies(sizes.httpSequential), expectBooked)]);
    const concurrentCpu = new CpuAccumulator(cpuComponents);
    const captured = setCapture(true);
    const concurrent = loopFigures([await concurrentCpu.measure(() => runClosedLoop(slotsOf(many), bodies(sizes.httpConcurrent), expectBooked))]);
    // Every answered call logged one line before its answer left; the last lines may still be in the pipe.
    await waitFor(() => (captured?.length ?? 0) >= concurrent.calls - concurrent.failures, { what: "the function's last log lines", timeoutMs: 5000 });
    setCapture(false);

    await runClosedLoop(slotsOf(gateway), rpcBodies(100), expectSuccess);
    const gatewayCpu = new CpuAccumulator(cpuComponents);
    const gatewayDirect = loopFigures([await gatewayCpu.measure(() => runClosedLoop(slotsOf(gateway), rpcBodies(sizes.gatewayDirect), expectSuccess))]);
    return {
      sequential,
      concurrent,
      concurrentServerRpcMs: summarize((captured ?? []).map((c) => c.rpcMs)),
      concurrentServerTotalMs: summarize((captured ?? []).map((c) => c.totalMs)),
      concurrentCores: concurrentCpu.cores(),
      gatewayDirect,
      gatewayDirectCores: gatewayCpu.cores(),
    };
  } finally {
    one.close();
    many.close();
    gateway.close();
  }
}

function buildFigures(r: Pick<Results, 'functionOneClient' | 'floorOneClient' | 'throughput' | 'contention' | 'contentionBusy' | 'naive' | 'http' | 'nearestFreeSlots' | 'nearestFreeSlotsBusy'>): Figure[] {
  const failuresNote = (f: LoopFigures): string => (f.failures ? `, ${f.failures} FAILED` : '');
  const raceTotals = (runs: readonly RaceResult[]) => ({
    successes: runs.map((x) => x.successes),
    unavailable: runs.reduce((s, x) => s + x.slotUnavailable, 0),
    errors: runs.reduce((s, x) => s + x.errors, 0),
    deadlocks: runs.reduce((s, x) => s + x.deadlocks, 0),
    other: runs.reduce((s, x) => s + Object.values(x.otherCodes).reduce((a, b) => a + b, 0), 0),
    wall: runs.map((x) => x.wallMs),
    rows: runs.map((x) => x.rowsInSlot),
  });
  const ours = raceTotals(r.contention);
  const busy = raceTotals(r.contentionBusy);
  const raceValue = (x: ReturnType<typeof raceTotals>): string =>
    `success ${x.successes.join('/')}, SLOT_UNAVAILABLE ${x.unavailable}, other ${x.other}, errors ${x.errors}, deadlocks ${x.deadlocks}, rows ${x.rows.join('/')}, wall ${x.wall.map((w) => w.toFixed(0)).join('/')} ms`;
  const naive = raceTotals(r.naive);
  const naiveDoubles = r.naive.map((x) => Math.max(0, x.rowsInSlot - 1));
  const { throughput: t, http } = r;
  // Only 3 racers may wait for one clinic's lock (docs/tenancy-and-waits.md): the others are
  // answered at once, SLOT_UNAVAILABLE from committed rows or TRY_AGAIN; no other code is right.
  const onlyRefusals = (xs: readonly RaceResult[]): boolean => xs.every((x) => Object.keys(x.otherCodes).every((code) => code === 'TRY_AGAIN'));
  const contentionOk = r.contention.length > 0 && r.contention.every((x) => x.successes === 1 && x.rowsInSlot === 1) && ours.errors === 0 && onlyRefusals(r.contention);
  // Refused racers compute alternatives under the clinic's lock: on a full calendar that must stay
  // cheap enough that nobody queued behind them runs out the 3 s wait budget (the race's wall time).
  const busyOk = r.contentionBusy.length > 0 && r.contentionBusy.every((x) => x.successes === 1 && x.rowsInSlot === 1 && x.wallMs < WAIT_BUDGET_MS)
    && busy.errors === 0 && onlyRefusals(r.contentionBusy);
  return [
    {
      label: `Function, 1 client (${r.functionOneClient.calls} sequential calls)`,
      value: `${pctl(r.functionOneClient.latency)}${failuresNote(r.functionOneClient)}`,
      target: `p95 ≤ ${TARGETS.functionP95Ms} ms`,
      verdict: verdict(r.functionOneClient.latency.p95 <= TARGETS.functionP95Ms && r.functionOneClient.failures === 0),
    },
    {
      label: `Bare insert, 1 client (${r.floorOneClient.calls} calls)`,
      value: `${pctl(r.floorOneClient.latency)}${failuresNote(r.floorOneClient)}`,
    },
    {
      label: `Function, ${CLIENTS} clients over ${ORGS} clinics`,
      value: `${pctl(t.ours.latency)}${failuresNote(t.ours)}`,
    },
    {
      label: `Bookings/s, ${CLIENTS} clients (${t.ours.calls} calls)`,
      value: `${Math.round(t.ours.perSecond)}/s${failuresNote(t.ours)}`,
      target: `≥ ${TARGETS.bookingsPerSecond}/s`,
      verdict: verdict(t.ours.perSecond >= TARGETS.bookingsPerSecond && t.ours.failures === 0),
    },
    {
      label: `Bare inserts/s, same clients (${t.floor.calls} calls)`,
      value: `${Math.round(t.floor.perSecond)}/s${failuresNote(t.floor)}`,
    },
    {
      label: `pgbench (C, prepared), ${CLIENTS} clients: ours / bare insert`,
      value: t.pgbench.ours && t.pgbench.floor
        ? `${Math.round(t.pgbench.ours.perSecond)}/s / ${Math.round(t.pgbench.floor.perSecond)}/s (${(t.pgbench.floor.perSecond / t.pgbench.ours.perSecond).toFixed(2)}×), failed ${t.pgbench.ours.failed + t.pgbench.floor.failed}`
        : t.pgbench.note,
    },
    {
      label: 'Cost per booking vs bare insert',
      value: `${t.costRatio.toFixed(2)}×`,
      target: `≤ ${TARGETS.costVsFloor}×`,
      verdict: verdict(t.costRatio <= TARGETS.costVsFloor),
    },
    {
      label: `Same slot, ${RACERS} at once ×${r.contention.length} (ours)`,
      value: raceValue(ours),
      target: '1 success, 0 errors',
      verdict: verdict(contentionOk),
    },
    {
      label: `Same slot, ${RACERS} at once, clinic with a full calendar`,
      value: raceValue(busy),
      target: '1 success, 0 errors, wall < 3 s (no waiter ran out its budget)',
      verdict: verdict(busyOk),
    },
    {
      label: 'Refused racer: nearest_free_slots alone',
      value: pctl(r.nearestFreeSlots),
    },
    {
      label: '  same, clinic with a full calendar',
      value: pctl(r.nearestFreeSlotsBusy),
    },
    {
      label: `Same slot, naive check-then-insert ×${r.naive.length}`,
      value: `rows in the slot ${naive.rows.join('/')} → double bookings max ${Math.max(0, ...naiveDoubles)}, total ${naiveDoubles.reduce((a, b) => a + b, 0)}; errors ${naive.errors}`,
    },
    {
      label: `HTTP tool call, 1 in flight (${http.sequential.calls})`,
      value: `${pctl(http.sequential.latency)}${failuresNote(http.sequential)}`,
    },
    {
      label: `HTTP tool call, ${HTTP_CONCURRENCY} in flight (${http.concurrent.calls})`,
      value: `${pctl(http.concurrent.latency)}, ${Math.round(http.concurrent.perSecond)}/s${failuresNote(http.concurrent)}`,
      target: `p95 ≤ ${TARGETS.httpP95Ms} ms`,
      verdict: verdict(http.concurrent.latency.p95 <= TARGETS.httpP95Ms && http.concurrent.failures === 0),
    },
    {
      label: '  of which RPC (function\'s own log)',
      value: pctl(http.concurrentServerRpcMs),
    },
    {
      label: `Gateway RPC direct, ${HTTP_CONCURRENCY} in flight (${http.gatewayDirect.calls})`,
      value: `${pctl(http.gatewayDirect.latency)}, ${Math.round(http.gatewayDirect.perSecond)}/s${failuresNote(http.gatewayDirect)}`,
    },
  ];
}

function profileRows(profile: readonly StatementCost[], width: number): string[][] {
  return profile.map((p) => [
    p.perBookingUs.toFixed(1),
    p.meanMs.toFixed(4),
    String(p.calls),
    p.query.length > width ? `${p.query.slice(0, width - 1)}…` : p.query,
  ]);
}

function renderMarkdown(r: Results): string {
  const lines: string[] = [];
  const loopRow = (label: string, f: LoopFigures): string[] => [
    label, String(f.calls), String(f.failures), ms(f.latency.p50), ms(f.latency.p95), ms(f.latency.p99), ms(f.latency.max), f.perSecond.toFixed(0),
  ];
  lines.push(`# Booking bench (${r.mode})`, '', `Generated ${r.generatedAt} by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\`.`, '');
  lines.push('## Machine', '', ...machineLines(r.machine).map((l) => `- ${l}`), `- Load average at end: ${r.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')}`, '');
  lines.push('The stack is a private PostgreSQL cluster (fsync on, synchronous_commit on, defaults otherwise), the local RPC gateway (pool of 10 connections) and the edge function under Deno, all on loopback on this machine; the load generator shares the same cores.', '');
  lines.push('## Summary', '', markdownTable(['Figure', 'Value', 'Target', ''], figureRows(r.figures)), '');
  lines.push('## Latency detail (ms)', '', markdownTable(
    ['Run', 'calls', 'failed', 'p50', 'p95', 'p99', 'max', 'per s'],
    [
      loopRow('function, 1 client', r.functionOneClient),
      loopRow('bare insert, 1 client', r.floorOneClient),
      loopRow(`function, ${CLIENTS} clients`, r.throughput.ours),
      loopRow(`bare insert, ${CLIENTS} clients`, r.throughput.floor),
      loopRow('HTTP, 1 in flight', r.http.sequential),
      loopRow(`HTTP, ${HTTP_CONCURRENCY} in flight`, r.http.concurrent),
      loopRow(`gateway RPC direct, ${HTTP_CONCURRENCY} in flight`, r.http.gatewayDirect),
    ],
  ), '');
  lines.push(`Throughput rounds (alternating): ${r.throughput.rounds.map((x) => `${x.kind} ${x.perSecond.toFixed(0)}/s`).join(', ')}.`, '');
  lines.push(`Server-side view of the ${HTTP_CONCURRENCY}-in-flight HTTP run (the function's own log lines): total ${pctl(r.http.concurrentServerTotalMs)}, RPC ${pctl(r.http.concurrentServerRpcMs)}.`, '');
  lines.push('Cores used by each component (CPU time / wall time, from /proc):', '', markdownTable(['Run', 'cores'], [
    [`${CLIENTS}-client bookings`, describeCores(r.throughput.cores.ours)],
    [`${CLIENTS}-client bare insert`, describeCores(r.throughput.cores.floor)],
    [`HTTP, ${HTTP_CONCURRENCY} in flight`, describeCores(r.http.concurrentCores)],
    ['gateway RPC direct', describeCores(r.http.gatewayDirectCores)],
  ]), '');
  lines.push('## Contention', '', markdownTable(
    ['Function', 'attempts', 'successes', 'SLOT_UNAVAILABLE', 'other', 'errors', 'deadlocks', 'rows in slot', 'wall ms', 'attempt p50', 'attempt p95', 'attempt max'],
    [
      ...r.contention.map((x) => ['ours', x] as const),
      ...r.contentionBusy.map((x) => ['ours, full calendar', x] as const),
      ...r.naive.map((x) => ['naive', x] as const),
    ].map(([kind, x]) => [
      kind, String(x.attempts), String(x.successes), String(x.slotUnavailable),
      Object.entries(x.otherCodes).map(([k, v]) => `${k} ${v}`).join(', ') || '0', String(x.errors), String(x.deadlocks),
      String(x.rowsInSlot), x.wallMs.toFixed(0), ms(x.latency.p50), ms(x.latency.p95), ms(x.latency.max),
    ]),
  ), '');
  lines.push(`Each refused attempt of ours computes \`private.nearest_free_slots\` while it holds the clinic's advisory lock; alone that call takes ${pctl(r.nearestFreeSlots)}, and ${pctl(r.nearestFreeSlotsBusy)} on a clinic with a full calendar.`, '');
  lines.push('Racing connections are warm (each booked once before), like a pooled API\'s.', '');
  lines.push('The naive function is `bench_naive.book`: `select count(*)` of overlapping rows, then `insert` when zero, in a copy of the table without the exclusion constraint and without any lock.', '');
  lines.push('## Inside Postgres', '', `pg_stat_statements with \`track = all\` over ${r.sizes.profileCalls} bookings (${CLIENTS} clients); nested statements of the function are listed separately, the top-level call includes them.`, '');
  lines.push(markdownTable(['µs per booking', 'mean ms', 'calls', 'statement'], profileRows(r.profile, 160)), '');
  for (const [title, statements] of [['booked', r.explain.booked], ['refused (SLOT_UNAVAILABLE)', r.explain.refused]] as const) {
    lines.push(`### auto_explain of one ${title} booking`, '');
    lines.push(markdownTable(['ms', 'statement'], statements.map((s) => [s.durationMs.toFixed(3), s.query.slice(0, 140)])), '');
    lines.push('<details><summary>plans</summary>', '', '```', ...statements.map((s) => `-- ${s.durationMs.toFixed(3)} ms\n${s.plan}\n`), '```', '', '</details>', '');
  }
  return lines.join('\n');
}

/** `--scale`: its own fresh database (no gateway or function needed), the growth table, a report. */
async function scaleMain(life: Lifecycle): Promise<number> {
  const started = Date.now();
  const loadAtStart = os.loadavg();
  life.defer(`stack ${SCALE_STACK}`, () => stopStack(SCALE_STACK, { destroy: true }));
  life.say(`starting the ${SCALE_STACK} stack (database only)`);
  const stack = await life.track(startStack({ name: SCALE_STACK, fresh: true }));
  const db = new pg.Client({ connectionString: stack.DATABASE_URL, application_name: 'bench-scale' });
  await db.connect();
  life.defer('scale connection', () => db.end());
  const { rows } = await db.query<{ v: string }>("select pg_catalog.current_setting('server_version') as v");
  const machine = describeMachine(rows[0]?.v ?? 'unknown', loadAtStart);
  const results = await measureScale(db, SCALE_SIZES, (text) => life.say(text));
  say('');
  say(`Growth (--scale) on ${machine.cpuModel}, ${machine.cores} cores, PostgreSQL ${machine.postgres}; load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`);
  say(textTable(['Figure', 'Value', 'Target', ''], figureRows(scaleFigures(results))));
  if (results.empty.failures.length || results.loaded.failures.length) say(`\nFailure samples: ${[...results.empty.failures, ...results.loaded.failures].join(' | ')}`);
  const files = writeReport(stackPaths(SCALE_STACK).dir, results, `# Growth bench\n\n${markdownTable(['Figure', 'Value', 'Target', ''], figureRows(scaleFigures(results)))}\n`);
  say('');
  say(`Report: ${path.relative(process.cwd(), files.markdownFile)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return 0;
}

if (wantsHelp(process.argv.slice(2))) {
  say(`usage: ${BENCH_USAGE}

Latency, throughput and contention figures on an isolated stack it starts and removes.
  --quick      a run under 2 minutes (smaller samples)
  --scale      only the growth step: the receptionist's paths on an empty database and on one
               with 1,000 clinics, 10,000 practitioners, 1,000,000 appointments (~4 minutes)
  --help, -h   this text
Writes .local/bench/latest.{json,md}.`);
} else {
  const life = new Lifecycle('bench');
  life.run(() => main(life));
}
