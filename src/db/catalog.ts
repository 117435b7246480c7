// Queries for what a clinic offers: its professionals and its services.
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { appointments, professionals, services } from './schema.js';
import { type Db, preparedOnce } from './store.js';

export type ProfessionalRow = typeof professionals.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;
type Catalog = typeof professionals | typeof services;

const live = (table: Catalog, tenantId: string, id: string) =>
  and(eq(table.tenantId, tenantId), eq(table.id, id), isNull(table.deletedAt));

// Availability and every voice tool list the clinic's professionals and services: prepared once per
// table; the active filter is applied in code (a clinic has tens of them, not thousands).
const listed = new Map(
  [professionals, services].map((table) => [
    table as Catalog,
    preparedOnce((db) =>
      db
        .select()
        .from(table as Catalog)
        .where(and(eq(table.tenantId, sql.placeholder('tenantId') as never), isNull(table.deletedAt)))
        .orderBy(asc(table.name), asc(table.id))
        .prepare(),
    ),
  ]),
);

export async function listCatalog<T extends Catalog>(
  db: Db,
  table: T,
  tenantId: string,
  filter: { active?: boolean } = {},
): Promise<T['$inferSelect'][]> {
  const rows = (await listed.get(table)!(db).all({ tenantId })) as T['$inferSelect'][];
  return filter.active === undefined ? rows : rows.filter((r) => r.active === filter.active);
}

// Booking looks up its professional and service on every request: prepared once per table.
const byId = new Map(
  [professionals, services].map((table) => [
    table as Catalog,
    preparedOnce((db) =>
      db
        .select()
        .from(table as Catalog)
        .where(live(table, sql.placeholder('tenantId') as never, sql.placeholder('id') as never))
        .limit(1)
        .prepare(),
    ),
  ]),
);

export async function findCatalogItem<T extends Catalog>(
  db: Db,
  table: T,
  tenantId: string,
  id: string,
): Promise<T['$inferSelect'] | undefined> {
  const [row] = await byId.get(table)!(db).all({ tenantId, id });
  return row as T['$inferSelect'] | undefined;
}

export async function findByExternalId(db: Db, table: Catalog, tenantId: string, externalId: string) {
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), eq(table.externalId, externalId), isNull(table.deletedAt)))
    .limit(1);
  return row;
}

export async function insertCatalogItem<T extends Catalog>(
  db: Db,
  table: T,
  row: T['$inferInsert'],
): Promise<void> {
  await db.insert(table as Catalog).values(row as ProfessionalRow & ServiceRow);
}

export async function updateCatalogItem<T extends Catalog>(
  db: Db,
  table: T,
  tenantId: string,
  id: string,
  patch: Partial<T['$inferInsert']>,
): Promise<T['$inferSelect'] | undefined> {
  const [row] = await db
    .update(table as Catalog)
    .set(patch)
    .where(live(table, tenantId, id))
    .returning();
  return row as T['$inferSelect'] | undefined;
}

/** Whether any confirmed/rescheduled appointment after `now` uses this professional or service. */
export async function hasFutureActiveAppointments(
  db: Db,
  tenantId: string,
  ref: { professionalId: string } | { serviceTypeId: string },
  now: number,
): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(appointments)
    .where(
      and(
        eq(appointments.tenantId, tenantId),
        'professionalId' in ref
          ? eq(appointments.professionalId, ref.professionalId)
          : eq(appointments.serviceTypeId, ref.serviceTypeId),
        inArray(appointments.status, ['confirmed', 'rescheduled']),
        gt(appointments.endsAt, now),
      ),
    )
    .limit(1);
  return row !== undefined;
}
