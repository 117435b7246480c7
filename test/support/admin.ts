// What the harnesses do behind the API's back (make clinics and keys, change a tenant's status),
// through the same core functions the admin CLI uses. Runtime-neutral: any Store will do.
import { createApiKey, revokeKey } from '../../src/accounts/api-keys.js';
import { EXPLICIT_SCOPES, type Grant } from '../../src/accounts/scopes.js';
import { createTenant } from '../../src/accounts/tenants.js';
import type { Db } from '../../src/db/store.js';
import { type TenantRow, updateTenant } from '../../src/db/tenants.js';
import type { TestApp } from './types.js';

type Admin = Pick<TestApp, 'createClinic' | 'createKey' | 'revokeKey' | 'setTenantStatus'>;

export function adminOperations(db: Db, now: () => number): Admin {
  let clinics = 0;
  return {
    async createClinic(o = {}) {
      const tenant = await createTenant(
        db,
        {
          name: o.name ?? `Clínica ${++clinics}`,
          timezone: o.timezone ?? 'Europe/Lisbon',
          country: o.country ?? 'PT',
          status: o.status ?? 'active',
        },
        now(),
      );
      // The clinic's own key in tests holds everything, the patient-rights scopes `*` lacks included;
      // reading raw caller numbers stays a scope tests grant on purpose (test/api/calls.test.ts).
      const scopes: Grant[] = ['*', ...EXPLICIT_SCOPES.filter((s) => !s.endsWith(':read_phone'))];
      const { apiKey, key } = await createApiKey(db, tenant.id, { scopes, mode: 'live' }, now());
      return { tenantId: tenant.id, key: apiKey, keyId: key.id };
    },
    async createKey(tenantId, scopes, o = {}) {
      const { apiKey, key } = await createApiKey(
        db,
        tenantId,
        { scopes, mode: o.mode ?? 'live', expiresInDays: o.expiresInDays },
        now(),
      );
      return { key: apiKey, keyId: key.id };
    },
    async revokeKey(keyId) {
      await revokeKey(db, keyId, now());
    },
    async setTenantStatus(tenantId, status) {
      await updateTenant(db, tenantId, { status: status as TenantRow['status'] });
    },
  };
}
