// Clinics reachable through the running edge function: a test org plus a Vapi route of its
// own, so its calls are told apart from every other suite's by the trusted assistant id.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createTestOrg } from './db.ts';
import { vapiToolCalls } from './http.ts';

export interface RoutedOrg { orgId: string; assistantId: string; phoneNumberId: string }

/** A test clinic reachable through Vapi: its own assistant id and phone-number id route to it. */
export async function createRoutedOrg(db: pg.Pool | pg.Client, label: string, timeZone = 'America/New_York', country = 'US'): Promise<RoutedOrg> {
  const orgId = await createTestOrg(db, label, timeZone, country);
  const slug = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID()}`;
  const assistantId = `asst-${slug}`;
  const phoneNumberId = `pn-${slug}`;
  await db.query(
    `insert into public.vapi_routes (org_id, kind, external_id) values ($1, 'assistant', $2), ($1, 'phone_number', $3)`,
    [orgId, assistantId, phoneNumberId],
  );
  return { orgId, assistantId, phoneNumberId };
}

export interface Caller { name: string; phone: string; email?: string }

/** One bookClinicAppointment tool call of a Vapi call routed to `org`. */
export function bookingMessage(
  org: RoutedOrg,
  opts: { callId: string; toolCallId?: string; slot: Date; caller: Caller; serviceType?: string },
): Record<string, unknown> {
  const { caller } = opts;
  return vapiToolCalls([{
    id: opts.toolCallId ?? `${opts.callId}-tool`,
    arguments: {
      name: caller.name,
      phone: caller.phone,
      ...(caller.email === undefined ? {} : { email: caller.email }),
      serviceType: opts.serviceType ?? 'checkup',
      scheduledAt: opts.slot.toISOString(),
    },
  }], { id: opts.callId, assistantId: org.assistantId });
}
