// Wires config → authenticator, database client, org cache, clinic gate and handler. Shared by
// the Deno entry point and the tests, so both run exactly what production runs.
import { createRequestAuthenticator, createRequestVerifier } from './auth.ts';
import { createBookingDatabase } from './booking-db.ts';
import { createClinicGate } from './clinic-gate.ts';
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
    auth: createRequestAuthenticator({
      vapi: createRequestVerifier({ secret: config.vapiSecret, toleranceSeconds: config.hmacToleranceSeconds }),
      directSecret: config.directApiSecret,
    }),
    db,
    resolveOrg: cachedOrgResolver((lookup, rpc) => db.resolveOrg(lookup, rpc)),
    now: overrides.now ?? (() => new Date()),
    log: overrides.log ?? jsonLogger((text) => console.log(text)),
    maxBodyBytes: config.maxBodyBytes,
    requestDeadlineMs: config.requestDeadlineMs,
    maxToolCalls: config.maxToolCalls,
    rpcTimeoutMs: config.rpcTimeoutMs,
    gate: createClinicGate(config.clinicConcurrency),
  });
}
