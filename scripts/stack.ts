// npm run stack:start|stack:stop|stack:status [-- --name test] [--fresh] [--destroy]
// stack:stop also stops a running `npm run dev` and whatever an earlier one left behind.
import { startStack, stopStack, stackStatus } from './lib/stack.ts';
import { stopRecordedDev } from './lib/dev-state.ts';

const [command = 'status', ...rest] = process.argv.slice(2);
const flag = (name: string): boolean => rest.includes(`--${name}`);
const nameIndex = rest.indexOf('--name');
const name = nameIndex >= 0 ? rest[nameIndex + 1] ?? 'dev' : 'dev';

async function main(): Promise<void> {
  switch (command) {
    case 'start': {
      const env = await startStack({ name, fresh: flag('fresh') });
      process.stdout.write(`DATABASE_URL=${env.DATABASE_URL}\n`);
      return;
    }
    case 'stop': {
      // Everything `npm run dev` started (dev itself, its gateway and function), then Postgres.
      if (name === 'dev') {
        const stopped = await stopRecordedDev();
        if (stopped.length > 0) process.stderr.write(`[stack] stopped ${stopped.join(', ')}\n`);
      }
      await stopStack(name, { destroy: flag('destroy') });
      return;
    }
    case 'status': {
      const { running, env } = await stackStatus(name);
      process.stdout.write(running ? `running on port ${env.PGPORT}\n` : 'stopped\n');
      process.exitCode = running ? 0 : 3;
      return;
    }
    default:
      process.stderr.write(`unknown command ${command}: use start, stop or status\n`);
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[stack] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
