/**
 * One observation per host, shared by every Package, PackageLock and VulnerabilityAudit resource
 * in this provider process. The engine refreshes resources in parallel: the first caller starts
 * the query and the others await the same promise. A write on the host ({@link invalidateHost})
 * drops the entry, so the next observe (the adapter's post-condition check) queries again.
 *
 * Entries also expire after {@link cacheTtl}.ms, because a provider process can outlive one
 * operation (`up --refresh` = refresh, then update): a value older than that is queried again.
 */
import type { Remote } from "../../transport";

/** Cache lifetime; tests may change it. */
export const cacheTtl = { ms: 10_000 };

interface Entry {
  at: number;
  values: Map<string, Promise<unknown>>;
}

const hosts = new Map<string, Entry>();

/**
 * The value of `key` for `remote`'s host, computed once by `load` while the entry is fresh.
 * A failed load is not cached.
 */
export function cachedPerHost<T>(remote: Remote, key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  let e = hosts.get(remote.label);
  if (!e || now - e.at > cacheTtl.ms) {
    e = { at: now, values: new Map() };
    hosts.set(remote.label, e);
  }
  const hit = e.values.get(key);
  if (hit) return hit as Promise<T>;
  const entry = e;
  const p = load();
  entry.values.set(key, p);
  p.catch(() => {
    if (entry.values.get(key) === p) entry.values.delete(key);
  });
  return p;
}

/** Forgets everything observed on the host: call before and after every write there. */
export function invalidateHost(label: string): void {
  hosts.delete(label);
}

/** Forgets every host (tests). */
export function clearHostCache(): void {
  hosts.clear();
}
