// Wires config → verifier, database client, org cache and handler. Shared by the Deno entry
// point and the tests, so both run exactly what production runs.
import { createRequestVerifier } from './auth.ts';
import { createBookingDatabase } from './booking-db.ts';
import type { EndpointConfig } from './config.ts';
import { createVapiHandler } from './handler.ts';
import { jsonLogger, type Logger } from './log.ts';
import { cachedOrgResolver } from './org-cache.ts';

export function createEndpoint(
  config: EndpointConfig,
  overrides: { now?: () => Date; log?: Logger; fetch?: typeof fetch } = {},
): (request: Request) => Promise<Response> {
  const db = createBookingDatabase({
    supabaseUrl: config.supabaseUrl,
    serviceRoleKey: config.serviceRoleKey,
    rpcTimeoutMs: config.rpcTimeoutMs,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
  return createVapiHandler({
    verify: createRequestVerifier({ secret: config.vapiSecret, toleranceSeconds: config.hmacToleranceSeconds }),
    db,
    resolveOrg: cachedOrgResolver((lookup) => db.resolveOrg(lookup)),
    now: overrides.now ?? (() => new Date()),
    log: overrides.log ?? jsonLogger((text) => console.log(text)),
    maxBodyBytes: config.maxBodyBytes,
  });
}
