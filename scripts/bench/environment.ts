// The bench's and the soak's own world: an isolated, fresh stack (never `dev` or `test`), the
// RPC gateway (quiet) and the edge function under Deno. Everything started is stopped again,
// on success, on error and on Ctrl-C, in reverse order; the stack's cluster is destroyed.
import { randomBytes } from 'node:crypto';
import { startStack, stopStack } from '../lib/stack.ts';
import { startGateway, startFunction, type Service } from '../lib/services.ts';
import type { EnvMap } from '../lib/env-file.ts';

export interface Environment {
  name: string;
  stack: EnvMap;
  databaseUrl: string;
  superuserUrl: string;
  gateway: Service;
  fn: Service;
  vapiSecret: string;
}

export class Lifecycle {
  private readonly stops: Array<{ what: string; stop: () => Promise<void> }> = [];
  private pending: Promise<unknown> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly label: string) {}

  say(text: string): void {
    process.stderr.write(`[${this.label}] ${text}\n`);
  }

  /** Registers a stop step; steps run last-registered first. */
  defer(what: string, stop: () => Promise<void>): void {
    this.stops.push({ what, stop });
  }

  /** A start in progress: closing waits for it, so nothing it spawns is left behind. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.pending = promise;
    return promise;
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.pending) await this.pending.catch(() => undefined);
      for (const { what, stop } of [...this.stops].reverse()) {
        try {
          await stop();
        } catch (error) {
          this.say(`stopping ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.closing;
  }

  /** Runs main, then closes everything and exits with its code (1 on a throw, 130 on a signal). */
  run(main: () => Promise<number>): void {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) process.exit(130); // second Ctrl-C: give up waiting
      signalled = true;
      this.say(`${signal}: stopping what was started…`);
      void this.close().finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    main()
      .catch((error: unknown) => {
        this.say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return 1;
      })
      .then(async (code) => {
        await this.close();
        if (!signalled) process.exit(code);
      });
  }
}

export async function startEnvironment(
  life: Lifecycle,
  name: string,
  onFunctionOutput?: (line: string) => void,
): Promise<Environment> {
  if (name === 'dev' || name === 'test') throw new Error(`refusing to use the ${name} stack`);
  // Registered before starting, so an interrupted start is still torn down.
  life.defer(`stack ${name}`, () => stopStack(name, { destroy: true }));
  const stack = await life.track(startStack({ name, fresh: true }));
  const databaseUrl = stack.DATABASE_URL;
  const superuserUrl = stack.SUPERUSER_URL;
  const serviceRoleKey = stack.SERVICE_ROLE_KEY;
  if (!databaseUrl || !superuserUrl || !serviceRoleKey) throw new Error(`stack ${name} started without its settings`);

  const gateway = await life.track(startGateway(stack, undefined, true));
  life.defer('gateway', () => gateway.stop());
  // A throwaway secret: nothing outside this process ever needs it.
  const vapiSecret = randomBytes(24).toString('hex');
  const fn = await life.track(startFunction({ supabaseUrl: gateway.url, serviceRoleKey, vapiSecret }, onFunctionOutput));
  life.defer('edge function', () => fn.stop());
  for (const service of [gateway, fn]) {
    service.child.on('exit', (code, signal) => {
      if (!life.isClosing) life.say(`${service.name} exited unexpectedly (${signal ?? code})`);
    });
  }
  return { name, stack, databaseUrl, superuserUrl, gateway, fn, vapiSecret };
}
