// Configuration from the environment, checked once at start-up: a missing value stops the
// function with a message that names it, instead of a server that fails every request.

export interface EndpointConfig {
  supabaseUrl: string;
  serviceRoleKey: string;
  vapiSecret: string;
  /** The direct shape's own credential (x-booking-api-key); undefined = the direct shape is off. */
  directApiSecret: string | undefined;
  /** HMAC timestamps older or newer than this are refused. */
  hmacToleranceSeconds: number;
  /** Upper bound on one database call, well inside Vapi's 20 s tool timeout. */
  rpcTimeoutMs: number;
  maxBodyBytes: number;
  /** One deadline for the whole request, below Vapi's 20 s tool timeout; every RPC gets what is left. */
  requestDeadlineMs: number;
  /** Tool calls answered per message; the rest get an `error` each. */
  maxToolCalls: number;
  /** Database calls in flight per clinic in this instance; more wait (within the deadline) in the function, not in the database pool. */
  clinicConcurrency: number;
}

/** Vapi's default tool timeout: the request deadline must stay below it with room to answer. */
export const VAPI_TOOL_TIMEOUT_MS = 20_000;
const MIN_DIRECT_SECRET_LENGTH = 16;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const REQUIRED = ['SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'VAPI_SECRET'] as const;

function positiveInteger(get: (name: string) => string | undefined, name: string, fallback: number): number {
  const raw = get(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer`);
  return value;
}

export function loadConfig(get: (name: string) => string | undefined): EndpointConfig {
  const missing = REQUIRED.filter((name) => !get(name));
  if (missing.length > 0) {
    throw new ConfigError(`vapi-booking cannot start: missing ${missing.join(', ')} (see README "Deploy to Supabase and connect Vapi")`);
  }
  const supabaseUrl = get('SUPABASE_URL') ?? '';
  if (!/^https?:\/\/[^\s]+$/.test(supabaseUrl)) throw new ConfigError('SUPABASE_URL must be an http(s) URL');
  const vapiSecret = get('VAPI_SECRET') ?? '';
  const directApiSecret = get('DIRECT_API_SECRET') || undefined;
  if (directApiSecret !== undefined) {
    if (directApiSecret.length < MIN_DIRECT_SECRET_LENGTH) throw new ConfigError(`DIRECT_API_SECRET must be at least ${MIN_DIRECT_SECRET_LENGTH} characters`);
    // Distinct credentials: whoever holds the Vapi secret must not be able to name a clinic.
    if (directApiSecret === vapiSecret) throw new ConfigError('DIRECT_API_SECRET must differ from VAPI_SECRET');
  }
  const requestDeadlineMs = positiveInteger(get, 'REQUEST_DEADLINE_MS', 15_000);
  if (requestDeadlineMs > VAPI_TOOL_TIMEOUT_MS - 2000) {
    throw new ConfigError(`REQUEST_DEADLINE_MS must be at most ${VAPI_TOOL_TIMEOUT_MS - 2000} (Vapi gives up after ${VAPI_TOOL_TIMEOUT_MS / 1000} s)`);
  }
  return {
    supabaseUrl,
    serviceRoleKey: get('SUPABASE_SERVICE_ROLE_KEY') ?? '',
    vapiSecret,
    directApiSecret,
    hmacToleranceSeconds: positiveInteger(get, 'VAPI_HMAC_TOLERANCE_SECONDS', 300),
    rpcTimeoutMs: positiveInteger(get, 'BOOKING_RPC_TIMEOUT_MS', 8000),
    maxBodyBytes: positiveInteger(get, 'MAX_BODY_BYTES', 64 * 1024),
    requestDeadlineMs,
    maxToolCalls: positiveInteger(get, 'MAX_TOOL_CALLS', 5),
    clinicConcurrency: positiveInteger(get, 'CLINIC_RPC_CONCURRENCY', 4),
  };
}
