// Configuration from the environment, checked once at start-up: a missing value stops the
// function with a message that names it, instead of a server that fails every request.

export interface EndpointConfig {
  supabaseUrl: string;
  serviceRoleKey: string;
  vapiSecret: string;
  /** HMAC timestamps older or newer than this are refused. */
  hmacToleranceSeconds: number;
  /** Upper bound on one database call, well inside Vapi's 20 s tool timeout. */
  rpcTimeoutMs: number;
  maxBodyBytes: number;
}

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
  return {
    supabaseUrl,
    serviceRoleKey: get('SUPABASE_SERVICE_ROLE_KEY') ?? '',
    vapiSecret: get('VAPI_SECRET') ?? '',
    hmacToleranceSeconds: positiveInteger(get, 'VAPI_HMAC_TOLERANCE_SECONDS', 300),
    rpcTimeoutMs: positiveInteger(get, 'BOOKING_RPC_TIMEOUT_MS', 8000),
    maxBodyBytes: positiveInteger(get, 'MAX_BODY_BYTES', 64 * 1024),
  };
}
