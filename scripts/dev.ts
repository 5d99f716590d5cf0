// npm run dev — the local stack, the RPC gateway and the edge function, until Ctrl-C.
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_DIR } from './lib/project.ts';
import { startStack, stopStack, stackPaths } from './lib/stack.ts';
import { startGateway, startFunction, type Service } from './lib/services.ts';
import { readEnvFile, updateEnvFile } from './lib/env-file.ts';
import { localDirectApiSecret, localVapiSecret } from './lib/vapi-secret.ts';

const PID_FILE = path.join(LOCAL_DIR, 'dev.pid');
const say = (text: string): void => { process.stdout.write(`${text}\n`); };

function runningDevPid(): number | undefined {
  if (!existsSync(PID_FILE)) return undefined;
  const pid = Number(readFileSync(PID_FILE, 'utf8'));
  try { process.kill(pid, 0); return pid; } catch { return undefined; }
}

async function main(): Promise<void> {
  const other = runningDevPid();
  if (other) {
    const env = readEnvFile(stackPaths().envFile);
    say(`npm run dev is already running (pid ${other}): ${env.FUNCTION_URL ?? 'starting'} — stop it with Ctrl-C there.`);
    return;
  }
  writeFileSync(PID_FILE, String(process.pid));

  const services: Service[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('\nstopping…');
    for (const service of services.reverse()) await service.stop();
    await stopStack();
    rmSync(PID_FILE, { force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const stack = await startStack();
    const log = (prefix: string) => (line: string): void => { if (line.trim()) say(`${prefix} ${line}`); };
    const gateway = await startGateway(stack, log('[gateway]'));
    services.push(gateway);
    const vapiSecret = localVapiSecret();
    const serviceRoleKey = stack.SERVICE_ROLE_KEY ?? '';
    const directApiSecret = localDirectApiSecret();
    const fn = await startFunction({ supabaseUrl: gateway.url, serviceRoleKey, vapiSecret, directApiSecret }, log('[vapi-booking]'));
    services.push(fn);
    for (const service of services) {
      service.child.on('exit', () => { if (!stopping) { say(`${service.name} exited unexpectedly`); void shutdown(1); } });
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
    say(`  database:   ${stack.DATABASE_URL}`);
    say(`  settings:   .local/stack.env   (npm run demo runs the release scenario against it)`);
    say('');
    say('Try it:');
    say(`  curl -s ${fn.url} -H 'content-type: application/json' -H 'x-vapi-secret: ${vapiSecret}' \\`);
    say(`    -d '${example.replace(/'/g, "'\\''")}'`);
    say('');
    say('Ctrl-C stops everything.');
  } catch (error) {
    say(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
