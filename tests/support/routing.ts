// Vapi messages for clinics reachable through the running edge function: a clinic made with
// `routes: true` (scripts/lib/fixtures/clinics.ts) has an assistant id of its own, so its calls
// are told apart from every other suite's.
import type { RoutedClinic } from '../../scripts/lib/fixtures/clinics.ts';
import { vapiToolCalls } from '../../scripts/lib/fixtures/vapi-message.ts';

export interface Caller { name: string; phone: string; email?: string }

/** One bookClinicAppointment tool call of a Vapi call routed to `org`. */
export function bookingMessage(
  org: RoutedClinic,
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
