// Long-running local services as child processes: the RPC gateway (Node) and the edge function
// (Deno). Each is started, waited for until it prints its ready line, and stopped cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { LOCAL_DIR, PROJECT_ROOT, SUPABASE_DIR } from './project.ts';
import { freePort } from './postgres-cluster.ts';
import type { EnvMap } from './env-file.ts';

export interface Service {
  name: string;
  pid: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const bin = (name: string): string => path.join(PROJECT_ROOT, 'node_modules', '.bin', name);

function startService(opts: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  ready: RegExp;
  timeoutMs: number;
  onOutput?: (line: string) => void;
  onSpawn?: (pid: number) => void;
}): Promise<Service> {
  // Own process group: a terminal Ctrl-C reaches only the parent, which stops children in order.
  const child = spawn(opts.command, opts.args, { cwd: PROJECT_ROOT, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const forward = opts.onOutput ?? (() => undefined);
  // Recorded before it is ready, so a parent killed during start-up still leaves it findable.
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`${opts.name} did not start within ${opts.timeoutMs / 1000}s`)), opts.timeoutMs);
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(error));
    }
    const onLine = (line: string): void => {
      const match = opts.ready.exec(line);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ name: opts.name, pid: child.pid ?? 0, url: match[1] ?? '', child, stop });
        return;
      }
      forward(line);
    };
    const split = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    };
    child.stdout?.on('data', split);
    child.stderr?.on('data', split);
    child.on('error', (error) => fail(error));
    child.on('exit', (code, signal) => fail(new Error(`${opts.name} exited (${signal ?? code}) before it was ready`)));
  });
}

export function startGateway(stack: EnvMap, onOutput?: (line: string) => void, quiet = false, onSpawn?: (pid: number) => void): Promise<Service> {
  return startService({
    name: 'gateway',
    // tsx itself (not npx) so SIGTERM reaches the gateway.
    command: bin('tsx'),
    args: [path.join('scripts', 'gateway', 'main.ts')],
    env: {
      ...process.env,
      AUTHENTICATOR_URL: stack.AUTHENTICATOR_URL,
      JWT_SECRET: stack.JWT_SECRET,
      GATEWAY_PORT: '0',
      ...(quiet ? { GATEWAY_QUIET: '1' } : {}),
    },
    ready: /gateway listening on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 30_000,
    ...(onOutput ? { onOutput } : {}),
    ...(onSpawn ? { onSpawn } : {}),
  });
}

export interface FunctionSettings {
  supabaseUrl: string;
  serviceRoleKey: string;
  vapiSecret: string;
  /** The direct shape's own credential; omitted = the direct shape is off. */
  directApiSecret?: string;
  extraEnv?: Record<string, string>;
  onSpawn?: (pid: number) => void;
}

/**
 * Deno caches the function's npm packages under $HOME/.cache/deno. A user without a writable
 * home (a service account) gets a cache inside the checkout instead of a failed start.
 */
export function denoCacheEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.DENO_DIR) return {};
  const home = env.HOME;
  if (home) {
    try {
      accessSync(home, constants.W_OK);
      return {};
    } catch { /* not writable: fall through */ }
  }
  return { DENO_DIR: path.join(LOCAL_DIR, 'deno') };
}

/** The edge function under Deno, as `supabase functions serve` would run it, on a free port. */
export async function startFunction(settings: FunctionSettings, onOutput?: (line: string) => void): Promise<Service> {
  const port = await freePort();
  const functionDir = path.join(SUPABASE_DIR, 'functions', 'vapi-booking');
  const service = await startService({
    name: 'vapi-booking',
    command: bin('deno'),
    args: [
      'run', '--quiet', `--config=${path.join(functionDir, 'deno.json')}`,
      '--allow-net=127.0.0.1', '--allow-env',
      path.join(functionDir, 'index.ts'),
    ],
    env: {
      ...process.env,
      SUPABASE_URL: settings.supabaseUrl,
      SUPABASE_SERVICE_ROLE_KEY: settings.serviceRoleKey,
      VAPI_SECRET: settings.vapiSecret,
      // Never inherited from the shell: off unless this start asks for it.
      DIRECT_API_SECRET: settings.directApiSecret ?? '',
      FUNCTION_PORT: String(port),
      NO_COLOR: '1',
      ...denoCacheEnv(),
      ...settings.extraEnv,
    },
    ready: /vapi-booking listening on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 180_000, // the first run downloads the npm packages into Deno's cache
    ...(onOutput ? { onOutput } : {}),
    ...(settings.onSpawn ? { onSpawn: settings.onSpawn } : {}),
  });
  // Same path as on Supabase, so URLs and examples carry over.
  return { ...service, url: `${service.url}/functions/v1/vapi-booking` };
}
