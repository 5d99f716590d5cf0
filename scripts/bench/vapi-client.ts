// Calling the edge function the way Vapi does, over keep-alive HTTP/1.1 on loopback. node:http
// rather than fetch: its per-request overhead is lower, so the figures are the server's.
import http from 'node:http';
import { vapiToolCalls } from '../lib/fixtures/vapi-message.ts';

export interface ToolCallRequest {
  callId: string;
  toolCallId: string;
  assistantId: string;
  toolName?: string;
  args: Record<string, unknown> | string;
  customerNumber?: string;
}

/** The Vapi server message `{"message": {"type": "tool-calls", ...}}` for one tool call. */
export function vapiEnvelope(request: ToolCallRequest): string {
  const call: Record<string, unknown> = { id: request.callId, assistantId: request.assistantId };
  if (request.customerNumber !== undefined) call.customer = { number: request.customerNumber };
  return JSON.stringify(vapiToolCalls(
    [{ id: request.toolCallId, ...(request.toolName === undefined ? {} : { name: request.toolName }), arguments: request.args }],
    call,
  ));
}

export interface ToolAnswer {
  toolCallId: string;
  result?: string;
  error?: string;
}

export interface HttpReply {
  status: number;
  text: string;
}

/** The answers of a 200 reply, or null when the body is not `{"results": [...]}`. */
export function toolAnswers(reply: HttpReply): ToolAnswer[] | null {
  if (reply.status !== 200) return null;
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return null;
  }
  const results = (body as { results?: unknown }).results;
  if (!Array.isArray(results)) return null;
  return results.filter((r): r is ToolAnswer => typeof r === 'object' && r !== null && typeof (r as { toolCallId?: unknown }).toolCallId === 'string');
}

export { isBookedAnswer } from '../../supabase/functions/_shared/speech.ts';

/** Keep-alive POSTs of JSON to one loopback URL with fixed headers. */
export class LoopbackClient {
  private readonly agent: http.Agent;
  private readonly target: URL;

  constructor(url: string, private readonly headers: Readonly<Record<string, string>>, maxSockets: number) {
    this.target = new URL(url);
    if (this.target.hostname !== '127.0.0.1' && this.target.hostname !== 'localhost') throw new Error('load is sent to loopback only');
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  post(body: string, timeoutMs = 30_000): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const request = http.request({
        agent: this.agent,
        hostname: this.target.hostname,
        port: this.target.port,
        path: this.target.pathname,
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The edge function, authenticated the way Vapi does it (x-vapi-secret). */
export function functionClient(url: string, vapiSecret: string, maxSockets: number): LoopbackClient {
  return new LoopbackClient(url, { 'x-vapi-secret': vapiSecret }, maxSockets);
}
