/**
 * HS256 JSON Web Tokens for the local stack: minting the ANON_KEY and
 * SERVICE_ROLE_KEY, and verifying tokens in the local RPC gateway.
 *
 * HS256 only, because that is what Supabase's legacy JWT secret (and the
 * PostgREST it configures) uses; accepting any other algorithm would let a
 * token signed some other way through the local stack and not through prod.
 */
import { SignJWT, errors, jwtVerify } from 'jose';

export type JwtClaims = Record<string, unknown> & {
  role?: unknown;
  sub?: unknown;
  exp?: unknown;
  iat?: unknown;
};

/** The PostgREST error code a failed verification corresponds to. */
export type JwtErrorCode = 'PGRST301' | 'PGRST303';

/**
 * A token that did not verify. `code` follows PostgREST: PGRST303 for a
 * token that is well-formed and correctly signed but whose time claims fail
 * (expired, not yet valid, issued in the future); PGRST301 for everything else.
 */
export class JwtVerificationError extends Error {
  override readonly name = 'JwtVerificationError';
  readonly code: JwtErrorCode;

  constructor(code: JwtErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  get expired(): boolean {
    return this.code === 'PGRST303';
  }
}

/**
 * Supabase's own local demo keys live for about ten years; the keys minted by
 * the stack script should outlive any dev session, so that is the default.
 */
const DEFAULT_EXPIRES_IN = '10y';

/**
 * PostgREST tolerates 30 s of clock skew on exp/nbf/iat; doing the same keeps
 * "just expired" tokens behaving identically locally and in production.
 */
const CLOCK_SKEW_SECONDS = 30;

function keyOf(secret: string): Uint8Array {
  if (secret.length === 0) throw new Error('JWT secret must not be empty');
  // PostgREST uses the secret's UTF-8 bytes as the HMAC key (jwt-secret-is-base64 = false).
  return new TextEncoder().encode(secret);
}

/**
 * Sign `claims` with HS256. `iat` is set to now; `exp` is set from
 * `expiresIn` (a jose time span like '1h', '10y', or seconds) unless the claims
 * already carry an explicit numeric `exp`, which is kept as given (tests use
 * that to mint already-expired tokens).
 */
export async function signJwt(
  claims: Record<string, unknown>,
  secret: string,
  expiresIn: string | number = DEFAULT_EXPIRES_IN,
): Promise<string> {
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' });
  if (typeof claims.iat !== 'number') jwt.setIssuedAt();
  if (typeof claims.exp !== 'number') jwt.setExpirationTime(expiresIn);
  return jwt.sign(keyOf(secret));
}

/**
 * Verify an HS256 token and return its claims, or throw JwtVerificationError.
 * Messages mirror PostgREST's so clients see the same text locally.
 */
export async function verifyJwt(token: string, secret: string): Promise<JwtClaims> {
  const parts = token.split('.').length;
  if (parts !== 3) {
    throw new JwtVerificationError('PGRST301', `Expected 3 parts in JWT; got ${parts}`);
  }
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
    return payload as JwtClaims;
  } catch (err) {
    throw toVerificationError(err);
  }
}

function toVerificationError(err: unknown): JwtVerificationError {
  if (err instanceof errors.JWTExpired) return new JwtVerificationError('PGRST303', 'JWT expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    // nbf / iat in the future: PostgREST reports these as claim validation failures too.
    const text = err.claim === 'nbf' ? 'JWT not yet valid' : err.claim === 'iat' ? 'JWT issued at future' : 'JWT claims validation failed';
    return new JwtVerificationError('PGRST303', text);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new JwtVerificationError('PGRST301', 'JWT cryptographic operation failed');
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return new JwtVerificationError('PGRST301', 'Wrong or unsupported encoding algorithm');
  }
  // Malformed header/payload, bad base64, non-object payload, ...: all "invalid".
  return new JwtVerificationError('PGRST301', 'Invalid JWT');
}
