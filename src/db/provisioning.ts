// Statements and reads for provisioning clinics (the admin API and the CLI): a clinic, its sandbox
// twin and its first key inserted in one atomic unit, each guarded by SQL conditions, and the
// operator's paged list of clinics.
import { and, asc, eq, getTableColumns, gt, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { apiKeys, tenants } from './schema.js';
import type { Db } from './store.js';
import type { ApiKeyRow, TenantRow } from './tenants.js';

/** `INSERT INTO table (…) SELECT …values WHERE conditions`, each value encoded as drizzle stores it. */
function insertIf<T extends SQLiteTable>(table: T, row: Record<string, unknown>, conditions: SQL[]): SQL {
  const byKey = getTableColumns(table);
  const columns = Object.keys(row).map((key) => byKey[key]!);
  return sql`INSERT INTO ${table} (${sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  )})
    SELECT ${sql.join(
      Object.values(row).map((value, i) => sql`${sql.param(value, columns[i])}`),
      sql`, `,
    )}
    WHERE ${sql.join(conditions, sql` AND `)}`;
}

/** Inserts the clinic while every condition holds and its public slug is free. */
export const insertTenantIf = (row: TenantRow, conditions: SQL[]): SQL =>
  insertIf(tenants, row, [
    ...conditions,
    sql`NOT EXISTS (SELECT 1 FROM tenants WHERE public_slug = ${row.publicSlug})`,
  ]);

export const insertApiKeyIf = (row: ApiKeyRow, conditions: SQL[]): SQL => insertIf(apiKeys, row, conditions);

/** SQL condition: the tenant `id` exists. */
export const tenantExists = (id: string): SQL => sql`EXISTS (SELECT 1 FROM tenants WHERE id = ${id})`;

/** Reads back whether the unit made the tenant (its `made` column is 1 or 0). */
export const selectTenantMade = (id: string): SQL => sql`SELECT ${tenantExists(id)} AS made`;

/** The public slugs already taken among `base`, `base-2`, `base-3`… (to pick the first free one). */
export async function slugsLike(db: Db, base: string): Promise<Set<string>> {
  const rows = await db
    .select({ slug: tenants.publicSlug })
    .from(tenants)
    .where(or(eq(tenants.publicSlug, base), like(tenants.publicSlug, `${base}-%`)));
  return new Set(rows.map((r) => r.slug ?? ''));
}

/** Live clinics (never sandboxes) in creation order, after `after` when given. */
export async function liveTenantsPage(
  db: Db,
  limit: number,
  after?: { at: number; id: string },
): Promise<TenantRow[]> {
  return db
    .select()
    .from(tenants)
    .where(
      and(
        isNull(tenants.sandboxOf),
        after
          ? or(
              gt(tenants.createdAt, after.at),
              and(eq(tenants.createdAt, after.at), gt(tenants.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(tenants.createdAt), asc(tenants.id))
    .limit(limit);
}
