// The local Vapi shared secret: made once and kept, so a tunnel/assistant configured with it
// keeps working across restarts of `npm run dev`.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LOCAL_DIR } from './project.ts';

export function localVapiSecret(dir = LOCAL_DIR): string {
  return localSecret(dir, 'vapi-secret');
}

/** The local direct-caller credential (x-booking-api-key), kept like the Vapi secret. */
export function localDirectApiSecret(dir = LOCAL_DIR): string {
  return localSecret(dir, 'direct-api-secret');
}

function localSecret(dir: string, name: string): string {
  const file = path.join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
