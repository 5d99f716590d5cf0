// At most N database calls per clinic in flight from this instance; the rest wait HERE, within
// their request's budget, instead of in the database pool. A clinic whose booking lock is stuck
// then occupies at most N pooled connections, and every other clinic's calls still find one.
// (The database caps waiters per clinic too; this keeps one instance from filling the pool
// before that cap answers.) First come, first served.

export type Release = () => void;

export interface ClinicGate {
  /** A release function, or null when no place freed up within `maxWaitMs`. */
  enter(orgId: string, maxWaitMs: number): Promise<Release | null>;
  /** Calls in flight for a clinic (for tests and the docs' figures). */
  inFlight(orgId: string): number;
}

interface Lane {
  active: number;
  waiting: Array<(release: Release) => void>;
}

export function createClinicGate(perClinic: number): ClinicGate {
  if (!Number.isInteger(perClinic) || perClinic < 1) throw new Error('perClinic must be a positive integer');
  const lanes = new Map<string, Lane>();

  const releaseFor = (orgId: string, lane: Lane): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.waiting.shift();
      if (next) {
        next(releaseFor(orgId, lane)); // the place passes on; active stays the same
        return;
      }
      lane.active -= 1;
      if (lane.active === 0) lanes.delete(orgId);
    };
  };

  return {
    enter(orgId, maxWaitMs) {
      let lane = lanes.get(orgId);
      if (!lane) {
        lane = { active: 0, waiting: [] };
        lanes.set(orgId, lane);
      }
      if (lane.active < perClinic) {
        lane.active += 1;
        return Promise.resolve(releaseFor(orgId, lane));
      }
      if (maxWaitMs <= 0) return Promise.resolve(null);
      const current = lane;
      return new Promise((resolve) => {
        const admit = (release: Release): void => {
          clearTimeout(timer);
          resolve(release);
        };
        const timer = setTimeout(() => {
          const index = current.waiting.indexOf(admit);
          if (index >= 0) current.waiting.splice(index, 1);
          resolve(null);
        }, maxWaitMs);
        current.waiting.push(admit);
      });
    },
    inFlight: (orgId) => lanes.get(orgId)?.active ?? 0,
  };
}
