// What a clinic offers, professionals and services, managed the same way: tenant-scoped CRUD,
// a PMS externalId unique per clinic, and removal that never breaks an appointment's history.
import {
  catalogNameOf,
  findCatalogItem,
  insertCatalogItem,
  listCatalog,
  type ProfessionalRow,
  removeCatalogItem,
  type ServiceRow,
  updateCatalogItem,
} from '../db/catalog.js';
import { professionals, services } from '../db/schema.js';
import type { Db, Store } from '../db/store.js';
import { AppError } from '../domain/errors.js';

const kinds = {
  professional: { table: professionals, notFound: 'professional_not_found', label: 'Professional' },
  service: { table: services, notFound: 'service_not_found', label: 'Service' },
} as const;

export type CatalogKind = keyof typeof kinds;
type Table<K extends CatalogKind> = (typeof kinds)[K]['table'];
export type CatalogRow<K extends CatalogKind> = K extends 'service' ? ServiceRow : ProfessionalRow;
type Editable<K extends CatalogKind> = Omit<
  Table<K>['$inferInsert'],
  'id' | 'tenantId' | 'createdAt' | 'updatedAt' | 'deletedAt'
>;

export const listItems = <K extends CatalogKind>(
  db: Db,
  kind: K,
  tenantId: string,
  filter?: { active?: boolean },
) => listCatalog(db, kinds[kind].table, tenantId, filter) as Promise<CatalogRow<K>[]>;

const notFound = (kind: CatalogKind, id: string) =>
  new AppError(kinds[kind].notFound, `${kinds[kind].label} ${id} not found`);

/** The item, or the resource's 404 (also for another clinic's id). */
export async function getItem<K extends CatalogKind>(db: Db, kind: K, tenantId: string, id: string) {
  const row = await findCatalogItem(db, kinds[kind].table, tenantId, id);
  if (!row) throw notFound(kind, id);
  return row as CatalogRow<K>;
}

/**
 * What a visit was booked with, as its patient sees it: the professional's and the service's names
 * even once removed, and whether they were (src/web/appointment-state.ts).
 */
export async function bookedWith(
  db: Db,
  visit: { tenantId: string; professionalId: string; serviceTypeId: string | null },
) {
  const [professional, service] = await Promise.all([
    catalogNameOf(db, 'professional', visit.tenantId, visit.professionalId),
    visit.serviceTypeId ? catalogNameOf(db, 'service', visit.tenantId, visit.serviceTypeId) : undefined,
  ]);
  return { professional, service };
}

const externalIdTaken = (kind: CatalogKind, externalId: unknown) =>
  new AppError('external_id_taken', `${kinds[kind].label} with externalId "${externalId}" already exists`);

/**
 * Splits the input into columns and, for a service, its professional list (deduplicated, each id one
 * of the clinic's professionals: 404 otherwise).
 */
async function toColumns<K extends CatalogKind>(
  db: Db,
  kind: K,
  tenantId: string,
  input: Record<string, unknown>,
): Promise<{ fields: Partial<Editable<K>>; professionalIds?: string[] }> {
  const { professionalIds, ...fields } = input;
  if (kind !== 'service' || professionalIds === undefined) return { fields: fields as Partial<Editable<K>> };
  const ids = [...new Set(professionalIds as string[])];
  for (const id of ids) await getItem(db, 'professional', tenantId, id);
  return { fields: fields as Partial<Editable<K>>, professionalIds: ids };
}

export async function createItem<K extends CatalogKind>(
  store: Store,
  kind: K,
  tenantId: string,
  input: Record<string, unknown>,
  now: number,
): Promise<CatalogRow<K>> {
  const { fields, professionalIds } = await toColumns(store.db, kind, tenantId, input);
  const row = { ...fields, id: crypto.randomUUID(), tenantId, createdAt: now, updatedAt: now };
  const { table } = kinds[kind];
  if (!(await insertCatalogItem(store, table, row as Table<K>['$inferInsert'], professionalIds))) {
    throw externalIdTaken(kind, row.externalId);
  }
  return getItem(store.db, kind, tenantId, row.id);
}

export async function updateItem<K extends CatalogKind>(
  store: Store,
  kind: K,
  tenantId: string,
  id: string,
  input: Record<string, unknown>,
  now: number,
): Promise<CatalogRow<K>> {
  const { fields, professionalIds } = await toColumns(store.db, kind, tenantId, input);
  const patch = { ...fields, updatedAt: now } as Partial<Table<K>['$inferInsert']>;
  if (!(await updateCatalogItem(store, kinds[kind].table, tenantId, id, patch, professionalIds))) {
    // Nothing written: either there is no such item, or the guard found its externalId taken.
    await getItem(store.db, kind, tenantId, id);
    throw externalIdTaken(kind, (fields as { externalId?: unknown }).externalId);
  }
  return getItem(store.db, kind, tenantId, id);
}

/**
 * Removes an item. With future active appointments it is only deactivated (no new bookings, the
 * booked ones stand); otherwise it disappears from the API but stays as a row for past appointments.
 */
export async function removeItem<K extends CatalogKind>(
  db: Db,
  kind: K,
  tenantId: string,
  id: string,
  now: number,
): Promise<{ outcome: 'deactivated'; item: CatalogRow<K> } | { outcome: 'removed' }> {
  const outcome = await removeCatalogItem(db, kinds[kind].table, tenantId, id, now);
  if (!outcome) throw notFound(kind, id);
  if (outcome === 'removed') return { outcome };
  return { outcome, item: await getItem(db, kind, tenantId, id) };
}
