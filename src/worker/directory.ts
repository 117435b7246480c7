// The directory on Workers: one small Durable Object that knows which clinic object a key
// reference, a tenant id, a voice integration or a message sender belongs to. It holds no personal
// data (references and ids only). Its entries are only ever added, so each Worker isolate caches
// what it read: a request with a known key costs no directory lookup at all, and revoking a key
// needs none either (the clinic's object checks the key's hash on every request).
import { DurableObject } from 'cloudflare:workers';
import {
  type DirectoryEntry,
  type DirectoryTables,
  directoryTables,
  type RouteKind,
} from '../db/directory.js';

export type { DirectoryEntry, RouteKind };
export type ClaimKind = Exclude<RouteKind, 'ref' | 'tenant'>;

export class DirectoryObject extends DurableObject {
  private tables?: DirectoryTables;

  private get db() {
    this.tables ??= directoryTables(this.ctx.storage.sql);
    return this.tables;
  }

  resolve(kind: RouteKind, key: string): DirectoryEntry | null {
    return this.db.resolve(kind, key);
  }

  addClinic(entry: DirectoryEntry & { placement?: string | null }): DirectoryEntry {
    return this.db.addClinic(entry);
  }

  claim(kind: ClaimKind, key: string, ref: string): string | null {
    return this.db.claim(kind, key, ref);
  }

  page(limit: number, after?: { at: number; ref: string }): DirectoryEntry[] {
    return this.db.page(limit, after);
  }
}

/** What the Worker, the lobby and the clinics ask of the directory. */
export interface Directory {
  resolve(kind: RouteKind, key: string): Promise<DirectoryEntry | null>;
  addClinic(entry: DirectoryEntry & { placement?: string | null }): Promise<DirectoryEntry>;
  claim(kind: ClaimKind, key: string, ref: string): Promise<string | null>;
  page(limit: number, after?: { at: number; ref: string }): Promise<DirectoryEntry[]>;
}

/** The directory object `name` of the namespace (one per deployment; tests use one each). */
export function directoryOf(
  namespace: DurableObjectNamespace<DirectoryObject>,
  name = 'directory',
): Directory {
  const stub = () => namespace.getByName(name);
  return {
    resolve: async (kind, key) => (await stub().resolve(kind, key)) as DirectoryEntry | null,
    addClinic: async (entry) => (await stub().addClinic(entry)) as DirectoryEntry,
    claim: async (kind, key, ref) => (await stub().claim(kind, key, ref)) as string | null,
    page: async (limit, after) => (await stub().page(limit, after)) as DirectoryEntry[],
  };
}

/** Entries kept per isolate: more than this and the cache starts over (entries never go stale). */
const CACHE_LIMIT = 10_000;

export interface CachedDirectory extends Directory {
  /** Directory lookups this cache made (a test counts them). */
  readonly lookups: number;
}

/**
 * The directory with this isolate's cache in front of `resolve`. Only found entries are kept: a
 * name not found yet may be added a moment later (a clinic just created).
 */
export function cachedDirectory(directory: Directory): CachedDirectory {
  const cache = new Map<string, DirectoryEntry>();
  let lookups = 0;
  return {
    ...directory,
    get lookups() {
      return lookups;
    },
    async resolve(kind, key) {
      const name = `${kind}:${key}`;
      const cached = cache.get(name);
      if (cached) return cached;
      lookups++;
      const entry = await directory.resolve(kind, key);
      if (entry) {
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(name, entry);
      }
      return entry;
    },
  };
}
