// Queries for what a clinic offers: its professionals and its services. Every write decides in its
// own statement: the (tenant, externalId) unique index or a guard in the WHERE clause, never a read
// made beforehand in JavaScript.
import { and, asc, eq, getTableColumns, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { BLOCKING_STATUSES } from '../domain/status.js';
import { appointments, professionals, serviceProfessionals, services } from './schema.js';
import {
  allNow,
  compile,
  type Db,
  type PreparedRead,
  preparedOnce,
  type Read,
  read,
  type Statement,
  type Store,
  statementOf,
} from './store.js';
import { versionedCache } from './versioned-cache.js';

export type ProfessionalRow = typeof professionals.$inferSelect;
/** A service with who provides it (rows of service_professionals); [] means every professional. */
export type ServiceRow = typeof services.$inferSelect & { professionalIds: string[] };
type Catalog = typeof professionals | typeof services;
type RowOf<T extends Catalog> = T extends typeof services ? ServiceRow : ProfessionalRow;

// Professional ids are UUIDs we generate, so a comma joins and splits them safely (no JSON to parse).
// The inner ORDER BY keeps the order the list was given in.
// (coalesce: drizzle does not decode a NULL.)
const providers = sql<string[]>`coalesce((SELECT group_concat(professional_id, ',') FROM (
    SELECT sp.professional_id FROM ${serviceProfessionals} sp
    WHERE sp.service_id = ${services.id} ORDER BY sp.rowid)), '')`.mapWith((ids: string) =>
  ids ? ids.split(',') : [],
);

/** The columns read for an item: a service carries its professional list. */
const columnsOf = (table: Catalog) =>
  table === services
    ? { ...getTableColumns(services), professionalIds: providers }
    : getTableColumns(professionals);

const live = (table: Catalog, tenantId: SQLWrapper | string, id: SQLWrapper | string) =>
  and(eq(table.tenantId, tenantId), eq(table.id, id), isNull(table.deletedAt));

/**
 * An item's name and whether it was removed, removed or not: an appointment keeps the service and
 * professional it was booked with, and the patient's pages still name them.
 */
export async function catalogNameOf(
  db: Db,
  kind: 'service' | 'professional',
  tenantId: string,
  id: string,
): Promise<{ name: string; removed: boolean } | undefined> {
  const table = kind === 'service' ? services : professionals;
  const [row] = await db
    .select({ name: table.name, deletedAt: table.deletedAt })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), eq(table.id, id)));
  return row && { name: row.name, removed: row.deletedAt !== null };
}

// Availability and every voice tool list the clinic's professionals and services: prepared once per
// table; the active filter is applied in code (a clinic has tens of them, not thousands).
const listed = new Map(
  [professionals, services].map((table) => [
    table as Catalog,
    preparedOnce((db) =>
      db
        .select(columnsOf(table))
        .from(table as Catalog)
        .where(and(eq(table.tenantId, sql.placeholder('tenantId')), isNull(table.deletedAt)))
        .orderBy(asc(table.name), asc(table.id))
        .prepare(),
    ),
  ]),
);

/** A clinic's live (not removed) services and professionals, active or not, in name order. */
export interface CatalogRows {
  services: ServiceRow[];
  professionals: ProfessionalRow[];
}

// Every booking, availability and voice tool reads the whole catalogue: kept per clinic while its
// catalog counter holds (src/db/versioned-cache.ts), so a hit costs one point read, not two list
// reads with a subquery per service. Bounded: a process serving more clinics reads the others anew.
const catalogs = versionedCache<string, CatalogRows>('catalog', 1_024);

const catalogNow = (db: Db, tenantId: string): CatalogRows =>
  catalogs.through(db, tenantId, tenantId, () => ({
    services: allNow(listed.get(services)!(db) as PreparedRead<ServiceRow>, { tenantId }),
    professionals: allNow(listed.get(professionals)!(db) as PreparedRead<ProfessionalRow>, { tenantId }),
  }))!;

/**
 * The clinic's catalogue as one read for a batch (one row: the catalogue, frozen and shared by every
 * request until the clinic's catalogue changes). In a batch, the counter and the rows are read in the
 * batch's one snapshot.
 */
export const catalogRead = (db: Db, tenantId: string): Read<CatalogRows> =>
  read({ all: () => [catalogNow(db, tenantId)] });

export async function listCatalog<T extends Catalog>(
  db: Db,
  table: T,
  tenantId: string,
  filter: { active?: boolean } = {},
): Promise<RowOf<T>[]> {
  const rows = (await listed.get(table)!(db).all({ tenantId })) as RowOf<T>[];
  return filter.active === undefined ? rows : rows.filter((r) => r.active === filter.active);
}

// Booking looks up its professional and service on every request: prepared once per table.
const byId = new Map(
  [professionals, services].map((table) => [
    table as Catalog,
    preparedOnce((db) =>
      db
        .select(columnsOf(table))
        .from(table as Catalog)
        .where(live(table, sql.placeholder('tenantId'), sql.placeholder('id')))
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
): Promise<RowOf<T> | undefined> {
  const [row] = await byId.get(table)!(db).all({ tenantId, id });
  return row as RowOf<T> | undefined;
}

/** SQL condition: no other live item of the clinic carries this externalId. */
const externalIdFree = (table: Catalog, tenantId: string, externalId: string, selfId: string): SQL => {
  const other = table === services ? sql`other_services` : sql`other_professionals`;
  return sql`NOT EXISTS (SELECT 1 FROM ${table} ${other}
    WHERE ${other}.tenant_id = ${tenantId} AND ${other}.external_id = ${externalId}
      AND ${other}.deleted_at IS NULL AND ${other}.id <> ${selfId})`;
};

/** Replaces a service's professional list if `guard` holds (the ids were checked to be the clinic's). */
const setProviders = (tenantId: string, serviceId: string, ids: string[], guard: SQL): Statement[] => [
  compile(sql`DELETE FROM ${serviceProfessionals} WHERE service_id = ${serviceId} AND ${guard}`),
  // One parameter for the whole list (a Durable Object allows 100 per statement); json_each keeps its order.
  compile(sql`INSERT INTO ${serviceProfessionals} (tenant_id, service_id, professional_id)
    SELECT ${tenantId}, ${serviceId}, p.id FROM json_each(${JSON.stringify(ids)}) j
    JOIN ${professionals} p ON p.id = j.value AND p.tenant_id = ${tenantId}
    WHERE ${guard}
    ORDER BY j.key`),
];

/**
 * Inserts an item (and a service's professional list) in one unit. The (tenant, externalId) unique
 * index decides: on conflict nothing is written and the answer is external_id_taken.
 */
export async function insertCatalogItem<T extends Catalog>(
  store: Store,
  table: T,
  row: T['$inferInsert'],
  professionalIds?: string[],
): Promise<boolean> {
  const insert = statementOf(
    store.db
      .insert(table as Catalog)
      .values(row as ProfessionalRow & ServiceRow)
      .onConflictDoNothing(),
  );
  const inserted = sql`EXISTS (SELECT 1 FROM ${services} WHERE id = ${row.id})`;
  const links = professionalIds?.length ? setProviders(row.tenantId, row.id!, professionalIds, inserted) : [];
  const [result] = await store.atomic([insert, ...links]);
  return (result?.changes ?? 0) > 0;
}

/**
 * Updates a live item, guarded in the same statement: a new externalId must be free among the
 * clinic's live items. A service's list is replaced in the same unit, under the same guard.
 */
export async function updateCatalogItem<T extends Catalog>(
  store: Store,
  table: T,
  tenantId: string,
  id: string,
  patch: Partial<T['$inferInsert']>,
  professionalIds?: string[],
): Promise<boolean> {
  const externalId = (patch as { externalId?: string | null }).externalId;
  const guard = and(
    live(table, tenantId, id),
    typeof externalId === 'string' ? externalIdFree(table, tenantId, externalId, id) : undefined,
  )!;
  const update = statementOf(
    store.db
      .update(table as Catalog)
      .set(patch)
      .where(guard),
  );
  const stillGuarded = sql`EXISTS (SELECT 1 FROM ${table} WHERE ${guard})`;
  const links = professionalIds ? setProviders(tenantId, id, professionalIds, stillGuarded) : [];
  const [result] = await store.atomic([update, ...links]);
  return (result?.changes ?? 0) > 0;
}

/** SQL condition: a confirmed/rescheduled appointment after `now` uses this professional or service. */
const inFutureUse = (table: Catalog, tenantId: string, id: string, now: number): SQL =>
  sql`EXISTS (SELECT 1 FROM ${appointments} a
    WHERE a.tenant_id = ${tenantId}
      AND ${table === services ? sql`a.service_type_id` : sql`a.professional_id`} = ${id}
      AND a.status IN (${sql.join(
        BLOCKING_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )})
      AND a.ends_at > ${now})`;

/**
 * Removes a live item in one statement: with future active appointments it is only deactivated
 * (deleted_at stays NULL), otherwise it is also marked deleted. Undefined when there is no such item.
 */
export async function removeCatalogItem(
  db: Db,
  table: Catalog,
  tenantId: string,
  id: string,
  now: number,
): Promise<'deactivated' | 'removed' | undefined> {
  const [row] = await db
    .update(table)
    .set({
      active: false,
      updatedAt: now,
      deletedAt: sql`CASE WHEN ${inFutureUse(table, tenantId, id, now)} THEN NULL ELSE ${now} END`,
    })
    .where(live(table, tenantId, id))
    .returning({ deletedAt: table.deletedAt });
  if (!row) return undefined;
  return row.deletedAt === null ? 'deactivated' : 'removed';
}
