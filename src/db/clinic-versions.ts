// A clinic's configuration counters (clinic_versions, kept by triggers; src/db/schema.ts): what tells
// a cache that its copy of the clinic's keys or catalogue is still the stored one.
import { eq, sql } from 'drizzle-orm';
import { clinicVersions } from './schema.js';
import { allNow, type Db, preparedOnce } from './store.js';

/** `access`: API keys and the tenants row; `integrations`: voice integrations; `catalog`: the catalogue. */
export type VersionKind = 'access' | 'integrations' | 'catalog';

// The one statement a cache hit costs: a primary-key point read, prepared once.
const versionsOf = preparedOnce((db) =>
  db
    .select({
      access: clinicVersions.access,
      integrations: clinicVersions.integrations,
      catalog: clinicVersions.catalog,
    })
    .from(clinicVersions)
    .where(eq(clinicVersions.tenantId, sql.placeholder('tenantId')))
    .prepare(),
);

/** The clinic's `kind` counter as stored now (0 before its first change). */
export function versionNow(db: Db, tenantId: string, kind: VersionKind): number {
  const [row] = allNow(versionsOf(db), { tenantId });
  return row?.[kind] ?? 0;
}
