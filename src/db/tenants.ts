// Queries for clinics (tenants) and their API keys.
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { apiKeys, clinicVersions, tenants } from './schema.js';
import { allNow, type Db, type PreparedRead, preparedOnce, type Read, read } from './store.js';
import { versionedCache } from './versioned-cache.js';

export type TenantRow = typeof tenants.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Inserts the clinic unless its public slug is taken (the unique index decides); false then. */
export async function insertTenant(db: Db, row: TenantRow): Promise<boolean> {
  const inserted = await db.insert(tenants).values(row).onConflictDoNothing().returning({ id: tenants.id });
  return inserted.length > 0;
}

const tenantById = preparedOnce((db) =>
  db
    .select()
    .from(tenants)
    .where(eq(tenants.id, sql.placeholder('id')))
    .limit(1)
    .prepare(),
);

// The voice door reads its clinic on every tool call: kept while the clinic's access counter
// (tenants and API keys) holds, like the API key's clinic (src/db/versioned-cache.ts).
const clinics = versionedCache<string, TenantRow>('access', 1024);

/** `findTenant` as a read for a batch (zero or one row; the row is frozen and shared). */
export const tenantRead = (db: Db, id: string): Read<TenantRow> =>
  read({
    all: () => {
      const row = clinics.through(
        db,
        id,
        id,
        () => allNow(tenantById(db) as PreparedRead<TenantRow>, { id })[0],
      );
      return row ? [row] : [];
    },
  });

export async function findTenant(db: Db, id: string): Promise<TenantRow | undefined> {
  const [row] = await tenantById(db).all({ id });
  return row;
}

export async function listTenants(db: Db): Promise<TenantRow[]> {
  return db.select().from(tenants).orderBy(tenants.createdAt);
}

/** The sandbox twin of a live clinic (what its test keys reach), if one was made. */
export async function findSandboxOf(db: Db, liveTenantId: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.sandboxOf, liveTenantId)).limit(1);
  return row;
}

/** A status change of a live clinic holds for its sandbox too (a suspended clinic is suspended in test mode). */
export async function setTenantStatus(db: Db, id: string, status: TenantRow['status'], now: number) {
  await db
    .update(tenants)
    .set({ status, updatedAt: now })
    .where(or(eq(tenants.id, id), eq(tenants.sandboxOf, id)));
  return findTenant(db, id);
}

export async function findTenantBySlug(db: Db, slug: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.publicSlug, slug)).limit(1);
  return row;
}

/**
 * Updates the clinic; a new public slug is guarded in the same statement (free, or already its own).
 * Undefined when nothing was written: no such clinic, or the slug is taken.
 */
export async function updateTenant(
  db: Db,
  id: string,
  patch: Partial<TenantRow>,
): Promise<TenantRow | undefined> {
  const slug = patch.publicSlug;
  const [row] = await db
    .update(tenants)
    .set(patch)
    .where(
      and(
        eq(tenants.id, id),
        slug
          ? sql`NOT EXISTS (SELECT 1 FROM ${tenants} other WHERE other.public_slug = ${slug} AND other.id <> ${id})`
          : undefined,
      ),
    )
    .returning();
  return row;
}

export async function insertApiKey(db: Db, row: ApiKeyRow): Promise<void> {
  await db.insert(apiKeys).values(row);
}

const keyWithTenant = preparedOnce((db) =>
  db
    .select({ key: apiKeys, tenant: tenants, version: sql<number>`coalesce(${clinicVersions.access}, 0)` })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .leftJoin(clinicVersions, eq(clinicVersions.tenantId, apiKeys.tenantId))
    .where(eq(apiKeys.keyHash, sql.placeholder('hash')))
    .limit(1)
    .prepare(),
);

export interface KeyWithTenant {
  key: ApiKeyRow;
  tenant: TenantRow;
}

// Every authenticated request needs its key and clinic: kept per key hash while the clinic's access
// counter holds (src/db/versioned-cache.ts). Only keys found are kept, so made-up keys cannot fill it;
// a few thousand entries hold every key a process serves.
const keys = versionedCache<string, KeyWithTenant>('access', 4_096);

/**
 * The key with this hash and its clinic, as stored now: one point read when kept (frozen rows,
 * shared), else the join, with the clinic's counter in the same statement.
 */
export async function findApiKeyWithTenant(db: Db, keyHash: string): Promise<KeyWithTenant | undefined> {
  const kept = keys.get(db, keyHash);
  if (kept) return kept;
  const [row] = allNow(keyWithTenant(db), { hash: keyHash });
  if (!row) return undefined;
  const { version, ...found } = row;
  return keys.keep(db, keyHash, found.key.tenantId, version, found);
}

export async function listApiKeys(db: Db, tenantIds: string[]): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(inArray(apiKeys.tenantId, tenantIds))
    .orderBy(desc(apiKeys.createdAt));
}

export async function findApiKey(db: Db, id: string, tenantIds: string[]): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), inArray(apiKeys.tenantId, tenantIds)))
    .limit(1);
  return row;
}

/** Revokes the key (if one of `tenantIds`' when given); the row, already revoked or not, or undefined. */
export async function revokeApiKey(
  db: Db,
  id: string,
  now: number,
  tenantIds?: string[],
): Promise<ApiKeyRow | undefined> {
  const owned = and(eq(apiKeys.id, id), tenantIds ? inArray(apiKeys.tenantId, tenantIds) : undefined);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(owned, isNull(apiKeys.revokedAt)))
    .returning();
  return row ?? (await db.select().from(apiKeys).where(owned).limit(1))[0];
}

/** Records use at most once a minute per key, so the hot path stays read-only. */
export async function touchApiKey(db: Db, id: string, now: number): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - 60_000))));
}
