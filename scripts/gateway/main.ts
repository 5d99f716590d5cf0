/**
 * CLI entry of the local RPC gateway (see server.ts).
 *
 *   AUTHENTICATOR_URL=postgresql://authenticator:...@127.0.0.1:PORT/postgres \
 *   JWT_SECRET=... GATEWAY_PORT=0 tsx scripts/gateway/main.ts
 *
 * Prints exactly one line, `gateway listening on http://127.0.0.1:<port>`, to
 * stdout once it accepts connections (the stack script waits for it and reads
 * the port from it); request logs go to stderr. Binds to loopback only: this
 * is a development tool, not something to expose.
 */
import { createGateway } from './server.ts';

function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    process.stderr.write(`gateway: missing required environment variable ${name}\n`);
    process.exit(2);
  }
  return value;
}

const authenticatorUrl = requireEnv('AUTHENTICATOR_URL');
const jwtSecret = requireEnv('JWT_SECRET');
const portText = process.env.GATEWAY_PORT ?? '0';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`gateway: GATEWAY_PORT must be an integer 0-65535 (0 = any free port), got ${JSON.stringify(portText)}\n`);
  process.exit(2);
}

// GATEWAY_QUIET=1 drops the per-request log line (benchmarks, load tests).
// GATEWAY_POOL_SIZE overrides the pool (default 10, like PostgREST's db-pool).
const poolSizeText = process.env.GATEWAY_POOL_SIZE;
const poolSize = poolSizeText === undefined || poolSizeText === '' ? undefined : Number(poolSizeText);
if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1)) {
  process.stderr.write(`gateway: GATEWAY_POOL_SIZE must be a positive integer, got ${JSON.stringify(poolSizeText)}\n`);
  process.exit(2);
}
const gateway = createGateway({
  authenticatorUrl, jwtSecret,
  ...(poolSize === undefined ? {} : { poolSize }),
  ...(process.env.GATEWAY_QUIET === '1' ? { log: false } : {}),
});

gateway.server.on('error', (err) => {
  process.stderr.write(`gateway: cannot listen: ${err.message}\n`);
  process.exit(1);
});

gateway.server.listen(port, '127.0.0.1', () => {
  const address = gateway.server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`gateway listening on http://127.0.0.1:${actual}\n`);
});

let stopping = false;
function shutdown(): void {
  if (stopping) return;
  stopping = true;
  gateway.close().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`gateway: error while closing: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
