// The directory on Workers: one small Durable Object that knows which clinic object a key
// reference, a tenant id, a voice integration or a message sender belongs to. It holds no personal
// data (references and ids only). Its entries are only ever added, so each Worker isolate caches
// what it read: a request with a known key costs no directory lookup at all, and revoking a key
// needs none either (the clinic's object checks the key's hash on every request).
import { DurableObject } from 'cloudflare:workers';
import { isSlugShaped } from '../accounts/tenants.js';
import {
  type DirectoryEntry,
  type DirectoryTables,
  directoryTables,
  type RouteKind,
} from '../db/directory.js';
import { isUuid } from '../domain/uuid.js';
import { isSenderId } from '../messaging/senders.js';
import { isClinicRef } from '../security/api-key-token.js';

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

  release(kind: 'slug', key: string, ref: string): void {
    this.db.release(kind, key, ref);
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
  release(kind: 'slug', key: string, ref: string): Promise<void>;
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
    release: async (kind, key, ref) => {
      await stub().release(kind, key, ref);
    },
    page: async (limit, after) => (await stub().page(limit, after)) as DirectoryEntry[],
  };
}

/** Entries kept per isolate: more than this and the cache starts over. */
const CACHE_LIMIT = 10_000;
/** Names not found, kept per isolate this long: a bogus key retried in a loop costs one lookup per span. */
export const NOT_FOUND_TTL_MS = 5_000;
const NOT_FOUND_LIMIT = 1_000;
/** A slug's entry is kept this long: a clinic that changes its slug releases the old one. */
export const SLUG_TTL_MS = 60_000;

/**
 * The shape of each kind of name, as issued (api-key-token.ts, integrations.ts, senders.ts, the
 * slug rule of tenants): what has another shape names no clinic and is never looked up.
 */
const WELL_FORMED: Record<RouteKind, (key: string) => boolean> = {
  ref: isClinicRef,
  tenant: isUuid,
  integration: isUuid,
  sender: isSenderId,
  slug: isSlugShaped,
};

/** Lookups that found nothing, per asking address and isolate, in a minute, before its unknown names go unasked. */
export const MISSES_PER_ASKER = 30;
const MISS_WINDOW_MS = 60_000;
const ASKERS_LIMIT = 10_000;

export interface CachedDirectory extends Directory {
  /**
   * `asker` (the caller's address, as limits count it) is charged for each lookup that finds
   * nothing: past MISSES_PER_ASKER in a minute, its names not in this cache are taken as unknown
   * without asking, so one address inventing names (random keys, links, webhook ids) cannot make
   * this isolate queue them all on the one directory object.
   */
  resolve(kind: RouteKind, key: string, asker?: string): Promise<DirectoryEntry | null>;
  /** Directory lookups this cache made (a test counts them). */
  readonly lookups: number;
}

/**
 * The directory with this isolate's cache in front of `resolve`. A name of the wrong shape is
 * refused without a lookup. A found clinic is kept (its entries never change; a slug's for
 * SLUG_TTL_MS, since a clinic may give one up); a name not found is kept only NOT_FOUND_TTL_MS and
 * at most NOT_FOUND_LIMIT of them, since it may be added a moment later (a clinic just created, a
 * slug just claimed), and a name this cache itself adds or claims is forgotten as not found at once.
 */
export function cachedDirectory(directory: Directory, now: () => number = Date.now): CachedDirectory {
  const cache = new Map<string, { entry: DirectoryEntry; until: number }>();
  const notFound = new Map<string, number>();
  const misses = new Map<string, { count: number; since: number }>();
  let lookups = 0;
  const overBudget = (asker: string | undefined, t: number) => {
    if (asker === undefined) return false;
    const spent = misses.get(asker);
    return spent !== undefined && t - spent.since < MISS_WINDOW_MS && spent.count >= MISSES_PER_ASKER;
  };
  const charge = (asker: string | undefined, t: number) => {
    if (asker === undefined) return;
    const spent = misses.get(asker);
    if (spent && t - spent.since < MISS_WINDOW_MS) spent.count++;
    else {
      if (misses.size >= ASKERS_LIMIT) misses.clear();
      misses.set(asker, { count: 1, since: t });
    }
  };
  return {
    ...directory,
    get lookups() {
      return lookups;
    },
    async resolve(kind, key, asker) {
      if (!WELL_FORMED[kind](key)) return null;
      const name = `${kind}:${key}`;
      const t = now();
      const cached = cache.get(name);
      if (cached && cached.until > t) return cached.entry;
      const missing = notFound.get(name);
      if (missing !== undefined && missing > t) return null;
      if (overBudget(asker, t)) return null;
      lookups++;
      const entry = await directory.resolve(kind, key);
      if (entry) {
        notFound.delete(name);
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(name, { entry, until: kind === 'slug' ? t + SLUG_TTL_MS : Number.POSITIVE_INFINITY });
      } else {
        charge(asker, t);
        if (notFound.size >= NOT_FOUND_LIMIT) notFound.clear();
        notFound.set(name, t + NOT_FOUND_TTL_MS);
      }
      return entry;
    },
    async addClinic(entry) {
      const added = await directory.addClinic(entry);
      notFound.delete(`ref:${added.ref}`);
      notFound.delete(`tenant:${added.tenantId}`);
      return added;
    },
    async claim(kind, key, ref) {
      const owner = await directory.claim(kind, key, ref);
      notFound.delete(`${kind}:${key}`);
      return owner;
    },
    async release(kind, key, ref) {
      await directory.release(kind, key, ref);
      cache.delete(`${kind}:${key}`);
    },
  };
}
