// The clinic of a call changes rarely; looking it up once a minute per warm instance keeps
// the booking path at one database round trip.
import { isRouteMismatch, type OrgLookup, type OrgResolution, type RpcOptions } from './booking-db.ts';

export interface OrgCacheOptions {
  ttlMs?: number;
  /** Unknown ids are remembered briefly, so a misrouted assistant cannot hammer the database. */
  missTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export type OrgResolver = (lookup: OrgLookup, rpc?: RpcOptions) => Promise<OrgResolution>;

export function cachedOrgResolver(resolve: OrgResolver, options: OrgCacheOptions = {}): OrgResolver {
  const ttlMs = options.ttlMs ?? 60_000;
  const missTtlMs = options.missTtlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, { value: OrgResolution; expiresAt: number }>();

  return async (lookup, rpc) => {
    const key = JSON.stringify([lookup.orgId ?? null, lookup.assistantId ?? null, lookup.phoneNumberId ?? null]);
    const hit = entries.get(key);
    if (hit && hit.expiresAt > now()) return hit.value;
    const value = await resolve(lookup, rpc); // failures propagate and are not cached
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value ?? key);
    // A mismatch is remembered as briefly as a miss: the fix (a route moved) should show soon.
    const routed = value !== null && !isRouteMismatch(value);
    entries.set(key, { value, expiresAt: now() + (routed ? ttlMs : missTtlMs) });
    return value;
  };
}
