// Calling the RPC gateway (PostgREST's /rest/v1/rpc/<fn>) with a chosen API key / JWT.
import { requireStackValue } from './stack-env.ts';

export interface RpcReply { status: number; body: unknown; text: string }

export async function callRpc(fn: string, args: Record<string, unknown>, token: string): Promise<RpcReply> {
  const response = await fetch(`${requireStackValue('SUPABASE_URL')}/rest/v1/rpc/${encodeURIComponent(fn)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: token, authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  let body: unknown = null;
  try { body = JSON.parse(text); } catch { body = null; }
  return { status: response.status, body, text };
}

/** PostgREST's error code field of a reply, if any. */
export function errorCodeOf(reply: RpcReply): string | undefined {
  const body = reply.body;
  if (typeof body !== 'object' || body === null || !('code' in body)) return undefined;
  const code = (body as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
