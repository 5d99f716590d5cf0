// npm run dev — the local stack, the RPC gateway and the edge function, until stopped.
// However it ends, nothing it started outlives it:
//   Ctrl-C, SIGTERM, SIGHUP       → it stops the function, the gateway and Postgres itself;
//   npm killed alone (npm exits on SIGTERM without telling its child) → it notices its
//                                   launcher is gone within half a second and does the same;
//   kill -9 of this process        → the reaper (a process in its own session holding a pipe
//                                   from this one) sees the pipe close and stops them.
// What it started is recorded in .local/dev.json, so `npm run stack:stop` and the next start
// find it even after a crash of both.
import { mkdirSync } from 'node:fs';
import { LOCAL_DIR } from './lib/project.ts';
import { startStack, stopStack, stackPaths } from './lib/stack.ts';
import { startGateway, startFunction, type Service } from './lib/services.ts';
import { readEnvFile, updateEnvFile } from './lib/env-file.ts';
import { localDirectApiSecret, localVapiSecret } from './lib/vapi-secret.ts';
import { isAlive, launcherChain, refOf } from './lib/processes.ts';
import { removeDevState, runningDev, stopRecordedDev, writeDevState, type DevState } from './lib/dev-state.ts';
import { startReaper } from './lib/reaper.ts';

// After a hang-up the terminal is gone: a failed write must not abort the clean-up.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
const say = (text: string): void => {
  try { process.stdout.write(`${text}\n`); } catch { /* terminal gone */ }
};

const LAUNCHER_POLL_MS = 500;

async function main(): Promise<void> {
  mkdirSync(LOCAL_DIR, { recursive: true });
  const other = runningDev();
  if (other) {
    const env = readEnvFile(stackPaths().envFile);
    say(`npm run dev is already running (pid ${other.dev.pid}): ${env.FUNCTION_URL ?? 'starting'} — stop it there, or with npm run stack:stop.`);
    // Not an error of the first run, but this run started nothing: a script must be able to tell.
    process.exitCode = 1;
    return;
  }
  const leftovers = await stopRecordedDev();
  if (leftovers.length > 0) say(`stopped what an earlier npm run dev left running: ${leftovers.join(', ')}`);

  const self = refOf(process.pid);
  const reaper = startReaper();
  reaper.tell({ stack: 'dev' });
  const state: DevState = { dev: self, reaper: reaper.ref, services: [] };
  writeDevState(state);
  const record = (name: string) => (pid: number): void => {
    const ref = { ...refOf(pid), name };
    state.services.push(ref);
    writeDevState(state);
    reaper.tell({ service: ref });
  };

  const services: Service[] = [];
  let stopping = false;
  const shutdown = async (code: number, why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`\nstopping (${why})…`);
    for (const service of [...services].reverse()) await service.stop().catch(() => undefined);
    await stopStack().catch((error: unknown) => say(`could not stop Postgres: ${error instanceof Error ? error.message : String(error)}`));
    removeDevState(self);
    reaper.release();
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown(0, sig));

  const launchers = launcherChain();
  const watch = setInterval(() => {
    const gone = launchers.find((ref) => !isAlive(ref));
    if (gone) void shutdown(0, `its launcher (pid ${gone.pid}) is gone`);
  }, LAUNCHER_POLL_MS);

  try {
    const stack = await startStack();
    const log = (prefix: string) => (line: string): void => { if (line.trim()) say(`${prefix} ${line}`); };
    const gateway = await startGateway(stack, log('[gateway]'), false, record('gateway'));
    services.push(gateway);
    const vapiSecret = localVapiSecret();
    const serviceRoleKey = stack.SERVICE_ROLE_KEY ?? '';
    const directApiSecret = localDirectApiSecret();
    const fn = await startFunction({ supabaseUrl: gateway.url, serviceRoleKey, vapiSecret, directApiSecret, onSpawn: record('vapi-booking') }, log('[vapi-booking]'));
    services.push(fn);
    for (const service of services) {
      service.child.on('exit', () => { if (!stopping) { say(`${service.name} exited unexpectedly`); void shutdown(1, `${service.name} exited`); } });
    }

    updateEnvFile(stackPaths().envFile, {
      FUNCTION_URL: fn.url,
      SUPABASE_URL: gateway.url,
      SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
      VAPI_SECRET: vapiSecret,
      DIRECT_API_SECRET: directApiSecret,
    });

    const example = JSON.stringify({
      message: {
        type: 'tool-calls',
        call: { id: 'demo-call-1', assistantId: 'demo-assistant-sunrise', customer: { number: '+15554443333' } },
        toolCallList: [{ id: 'tc-1', type: 'function', function: { name: 'bookClinicAppointment',
          arguments: { name: "jOHN o'brien", email: 'John@EX.com', phone: '(555) 444-3333', serviceType: 'consultation', date: 'June 2', time: '11:00 AM' } } }],
      },
    });
    say('');
    say(`vapi-booking is up: ${fn.url}`);
    say(`  VAPI_SECRET=${vapiSecret}`);
    say(`  DIRECT_API_SECRET=${directApiSecret}   (x-booking-api-key, for the direct {"toolCallId","tool","orgId"} shape)`);
    say(`  database:   ${stack.DATABASE_URL} (PostgreSQL ${stack.PG_MAJOR ?? '?'})`);
    say(`  settings:   .local/stack.env   (npm run demo runs the release scenario against it)`);
    say('');
    say('Try it:');
    say(`  curl -s ${fn.url} -H 'content-type: application/json' -H 'x-vapi-secret: ${vapiSecret}' \\`);
    say(`    -d '${example.replace(/'/g, "'\\''")}'`);
    say('');
    say('Ctrl-C (or npm run stack:stop) stops everything.');
  } catch (error) {
    say(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1, 'start-up failed');
  }
}

void main();
