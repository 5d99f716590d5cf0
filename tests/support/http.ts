// Calling the running edge function the way Vapi does.
import { requireStackValue } from './stack-env.ts';

/** The header and value a direct caller authenticates with (DIRECT_API_SECRET of the test stack). */
export function directCredential(): Record<string, string> {
  return { 'x-booking-api-key': requireStackValue('DIRECT_API_SECRET') };
}

export async function postToFunction(
  body: unknown,
  headers: Record<string, string> = {},
  opts: { raw?: string; method?: string; secret?: string | null } = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const secret = opts.secret === undefined ? requireStackValue('VAPI_SECRET') : opts.secret;
  const response = await fetch(requireStackValue('FUNCTION_URL'), {
    method: opts.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-vapi-secret': secret }), ...headers },
    ...(opts.method === 'GET' ? {} : { body: opts.raw ?? JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: response.status, text, json };
}

export function resultsOf(json: unknown): Array<{ toolCallId: string; result?: string; error?: string }> {
  const results = (json as { results?: unknown }).results;
  if (!Array.isArray(results)) throw new Error(`no results in ${JSON.stringify(json)}`);
  return results as Array<{ toolCallId: string; result?: string; error?: string }>;
}
