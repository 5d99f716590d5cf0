// A POST whose headers go on the wire exactly as given: repeated names, inner whitespace.
// fetch() normalizes header values (trims, merges), so auth edge cases use node:http.
import http from 'node:http';

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
