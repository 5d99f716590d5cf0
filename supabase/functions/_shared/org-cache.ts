// The clinic of a call changes rarely; looking it up once a minute per warm instance keeps
// the booking path at one database round trip.
import type { OrgContext, OrgLookup } from './booking-db.ts';

export interface OrgCacheOptions {
  ttlMs?: number;
  /** Unknown ids are remembered briefly, so a misrouted assistant cannot hammer the database. */
  missTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export function cachedOrgResolver(
  resolve: (lookup: OrgLookup) => Promise<OrgContext | null>,
  options: OrgCacheOptions = {},
): (lookup: OrgLookup) => Promise<OrgContext | null> {
  const ttlMs = options.ttlMs ?? 60_000;
  const missTtlMs = options.missTtlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, { value: OrgContext | null; expiresAt: number }>();

  return async (lookup) => {
    const key = JSON.stringify([lookup.orgId ?? null, lookup.assistantId ?? null, lookup.phoneNumberId ?? null]);
    const hit = entries.get(key);
    if (hit && hit.expiresAt > now()) return hit.value;
    const value = await resolve(lookup); // failures propagate and are not cached
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value ?? key);
    entries.set(key, { value, expiresAt: now() + (value ? ttlMs : missTtlMs) });
    return value;
  };
}
