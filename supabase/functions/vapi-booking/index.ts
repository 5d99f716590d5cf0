// Supabase Edge Function `vapi-booking`: wiring only. The logic lives in ../_shared.
import { loadConfig } from '../_shared/config.ts';
import { createEndpoint } from '../_shared/create-endpoint.ts';

// Throws at start-up with the names of missing settings: never a half-working server.
const handler = createEndpoint(loadConfig((name) => Deno.env.get(name)));

// Locally (npm run dev) the port comes from FUNCTION_PORT; on Supabase the runtime binds.
const port = Deno.env.get('FUNCTION_PORT');
if (port) {
  Deno.serve({
    hostname: '127.0.0.1',
    port: Number(port),
    onListen: ({ port: bound }) => console.log(`vapi-booking listening on http://127.0.0.1:${bound}`),
  }, handler);
} else {
  Deno.serve(handler);
}
