// The time budget of one request, and the database as one tool call sees it: every RPC gets
// what is left of the request's deadline (capped by the per-RPC timeout), waits for its
// clinic's place in the gate within that budget, and its real duration — failed calls
// included — is what the log line reports as rpcMs.
import type { BookingDatabase, RpcOptions } from './booking-db.ts';
import type { ClinicGate } from './clinic-gate.ts';

/** A call that cannot get at least this long is not started: it would only time out. */
export const MIN_RPC_BUDGET_MS = 1000;
/**
 * Longest wait for a place in the clinic's gate. A normal burst (20 callers racing for one
 * slot) clears in well under a second; waiting longer only means the clinic is stuck, and the
 * caller is better told so at once than at the end of the request's budget.
 */
export const CLINIC_QUEUE_MAX_WAIT_MS = 3000;

export interface RequestBudget {
  /** Milliseconds left before the request must answer. */
  remainingMs(): number;
}

export function requestBudget(clock: () => number, totalMs: number): RequestBudget {
  const endsAt = clock() + totalMs;
  return { remainingMs: () => endsAt - clock() };
}

/** The request's budget ran out before this call could start (not a database failure). */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(readonly where: 'before_start' | 'clinic_queue') {
    super(`no time left to start the call (${where})`);
  }
}

export interface MeteredDatabase {
  db: BookingDatabase;
  /** Milliseconds spent inside database calls so far. */
  rpcMs(): number;
}

export interface MeterOptions {
  clock: () => number;
  budget: RequestBudget;
  rpcTimeoutMs: number;
  gate: ClinicGate;
}

export function meteredDatabase(inner: BookingDatabase, options: MeterOptions): MeteredDatabase {
  const { clock, budget, rpcTimeoutMs, gate } = options;
  let spent = 0;

  const allowance = (): number => {
    const left = Math.min(rpcTimeoutMs, budget.remainingMs());
    if (left < MIN_RPC_BUDGET_MS) throw new DeadlineExceededError('before_start');
    return left;
  };

  async function run<T>(orgId: string | undefined, call: (rpc: RpcOptions) => Promise<T>): Promise<T> {
    allowance();
    let release: (() => void) | null = null;
    if (orgId !== undefined) {
      release = await gate.enter(orgId, Math.min(CLINIC_QUEUE_MAX_WAIT_MS, budget.remainingMs() - MIN_RPC_BUDGET_MS));
      if (release === null) throw new DeadlineExceededError('clinic_queue');
    }
    try {
      const timeoutMs = allowance();
      const started = clock();
      try {
        return await call({ timeoutMs });
      } finally {
        spent += clock() - started;
      }
    } finally {
      release?.();
    }
  }

  return {
    db: {
      resolveOrg: (lookup) => run(undefined, (rpc) => inner.resolveOrg(lookup, rpc)),
      book: (request) => run(request.orgId, (rpc) => inner.book(request, rpc)),
      checkAvailability: (orgId, day, want) => run(orgId, (rpc) => inner.checkAvailability(orgId, day, want, rpc)),
      findAppointments: (orgId, caller) => run(orgId, (rpc) => inner.findAppointments(orgId, caller, rpc)),
      cancelAppointment: (request) => run(request.orgId, (rpc) => inner.cancelAppointment(request, rpc)),
      rescheduleAppointment: (request) => run(request.orgId, (rpc) => inner.rescheduleAppointment(request, rpc)),
    },
    rpcMs: () => Math.round(spent * 10) / 10,
  };
}
