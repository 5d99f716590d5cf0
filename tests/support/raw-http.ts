// A POST whose headers go on the wire exactly as given: repeated names, inner whitespace.
// fetch() normalizes header values (trims, merges), so auth edge cases use node:http.
import http from 'node:http';
import net from 'node:net';

export interface RawResponse { status: number; text: string }

export function rawPost(url: string, headers: ReadonlyArray<readonly [string, string]>, body: string | Uint8Array): Promise<RawResponse> {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  flat.push('content-length', String(payload.byteLength));
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: flat }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * Bytes written straight to a TCP socket, for requests no HTTP client sends: a body shorter than
 * its Content-Length, then a half-close (`end`) or a reset (`destroy`). Resolves with whatever
 * the server wrote back before the connection ended ('' when it wrote nothing).
 */
export function rawExchange(url: string, head: string, body: string, hangUp: 'end' | 'reset', timeoutMs = 5000): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(target.port), target.hostname, () => {
      socket.write(head.replace(/\n/g, '\r\n') + '\r\n\r\n');
      socket.write(body, () => {
        if (hangUp === 'end') socket.end();
        else socket.resetAndDestroy();
      });
    });
    const timer = setTimeout(() => { socket.destroy(); resolve(Buffer.concat(chunks).toString('utf8')); }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('utf8')); });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return; // the server or we hung up: expected here
      clearTimeout(timer);
      reject(error);
    });
  });
}
