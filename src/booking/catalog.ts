// What a clinic offers, professionals and services, managed the same way: tenant-scoped CRUD,
// a PMS externalId unique per clinic, and removal that never breaks an appointment's history.
import {
  findByExternalId,
  findCatalogItem,
  hasFutureActiveAppointments,
  insertCatalogItem,
  listCatalog,
  updateCatalogItem,
} from '../db/catalog.js';
import { professionals, services } from '../db/schema.js';
import type { Db } from '../db/store.js';
import { AppError } from '../domain/errors.js';

const kinds = {
  professional: { table: professionals, notFound: 'professional_not_found', label: 'Professional' },
  service: { table: services, notFound: 'service_not_found', label: 'Service' },
} as const;

export type CatalogKind = keyof typeof kinds;
type Table<K extends CatalogKind> = (typeof kinds)[K]['table'];
export type CatalogRow<K extends CatalogKind> = Table<K>['$inferSelect'];
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

/** The item, or the resource's 404 (also for another clinic's id). */
export async function getItem<K extends CatalogKind>(db: Db, kind: K, tenantId: string, id: string) {
  const row = await findCatalogItem(db, kinds[kind].table, tenantId, id);
  if (!row) throw new AppError(kinds[kind].notFound, `${kinds[kind].label} ${id} not found`);
  return row as CatalogRow<K>;
}

async function assertExternalIdFree(
  db: Db,
  kind: CatalogKind,
  tenantId: string,
  externalId: unknown,
  selfId?: string,
) {
  if (typeof externalId !== 'string') return;
  const owner = await findByExternalId(db, kinds[kind].table, tenantId, externalId);
  if (owner && owner.id !== selfId) {
    throw new AppError(
      'external_id_taken',
      `${kinds[kind].label} with externalId "${externalId}" already exists`,
    );
  }
}

/** A service's professional list arrives as ids; each must be one of the clinic's professionals. */
async function toColumns<K extends CatalogKind>(
  db: Db,
  kind: K,
  tenantId: string,
  fields: Record<string, unknown>,
) {
  if (kind !== 'service' || fields.professionalIds === undefined) return fields as Partial<Editable<K>>;
  const ids = [...new Set(fields.professionalIds as string[])];
  for (const id of ids) await getItem(db, 'professional', tenantId, id);
  return { ...fields, professionalIds: JSON.stringify(ids) } as unknown as Partial<Editable<K>>;
}

export async function createItem<K extends CatalogKind>(
  db: Db,
  kind: K,
  tenantId: string,
  input: Record<string, unknown>,
  now: number,
): Promise<CatalogRow<K>> {
  const fields = await toColumns(db, kind, tenantId, input);
  await assertExternalIdFree(db, kind, tenantId, (fields as { externalId?: unknown }).externalId);
  const row = { ...fields, id: crypto.randomUUID(), tenantId, createdAt: now, updatedAt: now };
  await insertCatalogItem(db, kinds[kind].table, row as Table<K>['$inferInsert']);
  return getItem(db, kind, tenantId, row.id);
}

export async function updateItem<K extends CatalogKind>(
  db: Db,
  kind: K,
  tenantId: string,
  id: string,
  input: Record<string, unknown>,
  now: number,
): Promise<CatalogRow<K>> {
  await getItem(db, kind, tenantId, id);
  const patch = await toColumns(db, kind, tenantId, input);
  await assertExternalIdFree(db, kind, tenantId, (patch as { externalId?: unknown }).externalId, id);
  const row = await updateCatalogItem(db, kinds[kind].table, tenantId, id, { ...patch, updatedAt: now });
  if (!row) throw new AppError(kinds[kind].notFound, `${kinds[kind].label} ${id} not found`);
  return row as CatalogRow<K>;
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
  await getItem(db, kind, tenantId, id);
  const ref = kind === 'professional' ? { professionalId: id } : { serviceTypeId: id };
  const { table } = kinds[kind];
  if (await hasFutureActiveAppointments(db, tenantId, ref, now)) {
    const item = await updateCatalogItem(db, table, tenantId, id, { active: false, updatedAt: now });
    return { outcome: 'deactivated', item: item as CatalogRow<K> };
  }
  await updateCatalogItem(db, table, tenantId, id, { active: false, deletedAt: now, updatedAt: now });
  return { outcome: 'removed' };
}
