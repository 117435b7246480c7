// Configuration read on every request and changed a few times a day (API keys with their clinic,
// voice integrations, a clinic's catalogue), kept in memory per database and never stale: each entry remembers the clinic
// counter it was read at (clinic_versions, bumped by triggers on every write of those tables by any
// writer, src/db/schema.ts), and a lookup first reads the counter as stored now, one point read; an
// entry whose counter moved is dropped and read again. So a revoked key, a suspended clinic or a
// renamed service is seen by the very next request, in this process or any other on the same file.
// Entries are frozen (shared by every request) and bounded in number, least recently used out first.
import { deepFreeze } from '../domain/freeze.js';
import { type VersionKind, versionNow } from './clinic-versions.js';
import type { Db } from './store.js';

interface Entry<V> {
  tenantId: string;
  version: number;
  value: V;
}

export interface VersionedCache<K, V> {
  /** The kept value if its clinic's counter has not moved since it was read; else undefined. */
  get(db: Db, key: K): V | undefined;
  /**
   * Keeps `value` (frozen) and returns it. `version` must have been read before the value or in the
   * same snapshot: then a write in between makes the entry look older than it is, never newer.
   */
  keep(db: Db, key: K, tenantId: string, version: number, value: V): V;
  /**
   * The kept value, or else what `load` reads now, kept: the clinic's counter is read first, so a
   * write landing in between can only make the entry look older. Nothing is kept when `load` finds
   * nothing.
   */
  through(db: Db, key: K, tenantId: string, load: () => V | undefined): V | undefined;
}

/** A cache of values that hold while their clinic's `kind` counter stays; one per database. */
export function versionedCache<K, V>(kind: VersionKind, capacity: number): VersionedCache<K, V> {
  const perDb = new WeakMap<Db, Map<K, Entry<V>>>();
  const entriesOf = (db: Db) => {
    let entries = perDb.get(db);
    if (!entries) {
      entries = new Map();
      perDb.set(db, entries);
    }
    return entries;
  };
  const cache: VersionedCache<K, V> = {
    get(db, key) {
      const entries = perDb.get(db);
      const entry = entries?.get(key);
      if (!entries || !entry) return undefined;
      entries.delete(key);
      if (versionNow(db, entry.tenantId, kind) !== entry.version) return undefined;
      entries.set(key, entry); // most recently used: last in the map's order
      return entry.value;
    },
    keep(db, key, tenantId, version, value) {
      const entries = entriesOf(db);
      entries.delete(key);
      entries.set(key, { tenantId, version, value: deepFreeze(value) });
      if (entries.size > capacity) entries.delete(entries.keys().next().value as K);
      return value;
    },
    through(db, key, tenantId, load) {
      const kept = cache.get(db, key);
      if (kept !== undefined) return kept;
      const version = versionNow(db, tenantId, kind);
      const value = load();
      return value === undefined ? undefined : cache.keep(db, key, tenantId, version, value);
    },
  };
  return cache;
}
