// The clinic's catalogue (services and professionals) as one request or tool call sees it: read once,
// in one batch, and shared by every rule that needs it (which service, who may take it, their hours,
// the names a voice answer speaks). Writes never trust it: each carries its own SQL guard ("still
// bookable"), so a catalogue a moment old can only make a command plan again, never write wrongly.
import { type CatalogRows, catalogRead, type ProfessionalRow, type ServiceRow } from '../db/catalog.js';
import type { Read } from '../db/store.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';

/**
 * Live (not removed) services and professionals, active or not, in name order. Frozen: the same rows
 * answer every request until the clinic's catalogue changes (src/db/versioned-cache.ts).
 */
export type Catalog = CatalogRows;

export interface CatalogSource {
  /** The catalogue, read at the first call and then shared. */
  read(): Promise<Catalog>;
  /**
   * The catalogue and other reads in one batch: the catalogue joins the batch unless it was read
   * already. For a command's plan, so its snapshot costs one round trip.
   */
  readWith<T extends unknown[]>(
    ...reads: { [K in keyof T]: Read<T[K]> }
  ): Promise<[Catalog, ...{ [K in keyof T]: T[K][] }]>;
  /** Drops what was read: a command planning again must see the catalogue as it is now. */
  forget(): void;
}

/**
 * A catalogue read at most once (until `forget`), for one request, tool call or voice session;
 * `known` is one its caller read already (`catalogRead`, in a batch of its own). The catalogue itself
 * is kept between requests (src/db/catalog.ts), but each read here checks it is still the stored one,
 * so after `forget` a command planning again sees every change made since.
 */
export function catalogOnce(deps: AppDeps, tenantId: string, known?: Catalog): CatalogSource {
  let catalog: Promise<Catalog> | undefined = known && Promise.resolve(known);
  const source: CatalogSource = {
    read: () => (catalog ??= source.readWith().then(([c]) => c)),
    async readWith(...reads) {
      if (catalog) return [await catalog, ...(await deps.store.batch(...reads))] as never;
      const batch = deps.store.batch(catalogRead(deps.store.db, tenantId), ...reads);
      const mine = batch.then(([[read]]) => read as Catalog);
      catalog = mine;
      // A failed read is not kept: the next caller reads again (and this one sees the error below).
      mine.catch(() => {
        if (catalog === mine) catalog = undefined;
      });
      const [, ...rest] = await batch;
      return [await mine, ...rest] as never;
    },
    forget: () => {
      catalog = undefined;
    },
  };
  return source;
}

/** The service with this id, or service_not_found (also for another clinic's id). */
export function serviceIn(catalog: Catalog, id: string): ServiceRow {
  const service = catalog.services.find((s) => s.id === id);
  if (!service) throw new AppError('service_not_found', `Service ${id} not found`);
  return service;
}

/** The professional with this id, or professional_not_found (also for another clinic's id). */
export function professionalIn(catalog: Catalog, id: string): ProfessionalRow {
  const professional = catalog.professionals.find((p) => p.id === id);
  if (!professional) throw new AppError('professional_not_found', `Professional ${id} not found`);
  return professional;
}
