// Admin CLI: what "Settings → Integrations" does in Mivicall. `npm run cli -- help`.
import { parseArgs } from 'node:util';
import { createApiKey, listKeys, revokeKey } from './accounts/api-keys.js';
import { EXPLICIT_SCOPES, isGrant, SCOPES } from './accounts/scopes.js';
import {
  createTenant,
  SPECIALTIES,
  TENANT_STATUSES,
  type TenantStatus,
  toTenant,
} from './accounts/tenants.js';
import { renderTenant } from './api/schemas/tenant.js';
import { openSqliteStore } from './db/sqlite.js';
import { findTenant, listTenants, setTenantStatus } from './db/tenants.js';
import { isTimeZone } from './domain/time.js';

const USAGE = `Usage: npm run cli -- <command> [options]   (DATABASE_PATH selects the database, default ./data/agendai.db)

  tenants create --name NAME --timezone ZONE --country CC [--specialty dental|medical|physio|aesthetic|other]
                 [--status trial|active|past_due|canceled] [--live] [--json]
      Creates a clinic and a first API key with every scope (*), shown once: a test key (miv_test_,
      the clinic's sandbox), or with --live a live key (miv_live_, the clinic's real data).
  tenants list [--json]
  tenants show ID [--json]
  tenants set-status ID trial|active|past_due|canceled [--json]
  keys create --tenant ID --scopes SCOPE[,SCOPE...] [--live] [--expires-in-days N] [--name NAME] [--json]
      A test key (the default) reaches the clinic's sandbox, made with its first test key; --live the clinic.
  keys list --tenant ID [--json]      (the clinic's live keys and its sandbox's test keys)
  keys revoke KEY_ID [--json]

Scopes: ${SCOPES.filter((s) => !EXPLICIT_SCOPES.includes(s)).join(' ')}, or *;
        by name only: ${EXPLICIT_SCOPES.join(' ')}`;

class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`Missing ${flag}`);
  return value;
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      timezone: { type: 'string' },
      country: { type: 'string' },
      specialty: { type: 'string' },
      status: { type: 'string' },
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      live: { type: 'boolean', default: false },
      'expires-in-days': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [group, action, arg1, arg2] = positionals;
  if (!group || group === 'help') {
    console.log(USAGE);
    return;
  }
  const store = openSqliteStore(process.env.DATABASE_PATH ?? './data/agendai.db');
  const now = Date.now();
  const print = (data: unknown, human: () => string) =>
    console.log(values.json ? JSON.stringify(data) : human());
  try {
    const route = `${group} ${action ?? ''}`.trim();
    switch (route) {
      case 'tenants create': {
        const timezone = need(values.timezone, '--timezone');
        if (!isTimeZone(timezone))
          throw new UsageError(`Unknown time zone "${timezone}" (IANA, e.g. Europe/Lisbon)`);
        const country = need(values.country, '--country');
        if (!/^[A-Za-z]{2}$/.test(country))
          throw new UsageError('--country takes an ISO 3166-1 alpha-2 code, e.g. PT');
        const specialty = values.specialty ?? 'other';
        if (!(SPECIALTIES as readonly string[]).includes(specialty))
          throw new UsageError(`Unknown specialty "${specialty}"`);
        const status = values.status ?? 'trial';
        if (!(TENANT_STATUSES as readonly string[]).includes(status))
          throw new UsageError(`Unknown status "${status}"`);
        const tenant = await createTenant(
          store.db,
          {
            name: need(values.name, '--name'),
            timezone,
            country,
            specialty: specialty as (typeof SPECIALTIES)[number],
            status: status as TenantStatus,
          },
          now,
        );
        const { apiKey, key } = await createApiKey(
          store.db,
          tenant.id,
          { scopes: ['*'], mode: values.live ? 'live' : 'test', name: 'initial' },
          now,
        );
        print(
          { tenant: renderTenant(tenant), apiKey, key },
          () => `Tenant ${tenant.id} (${tenant.name})\nAPI key (shown once): ${apiKey}`,
        );
        return;
      }
      case 'tenants list': {
        const rows = (await listTenants(store.db)).map((row) => renderTenant(toTenant(row)));
        print(
          { items: rows },
          () => rows.map((t) => `${t.id}  ${t.status.padEnd(9)} ${t.name}`).join('\n') || '(none)',
        );
        return;
      }
      case 'tenants show': {
        const row = await findTenant(store.db, need(arg1, 'ID'));
        if (!row) throw new UsageError(`No tenant ${arg1}`);
        const tenant = renderTenant(toTenant(row));
        print({ tenant }, () => JSON.stringify(tenant, null, 2));
        return;
      }
      case 'tenants set-status': {
        const id = need(arg1, 'ID');
        const status = need(arg2, 'STATUS');
        if (!(TENANT_STATUSES as readonly string[]).includes(status))
          throw new UsageError(`Unknown status "${status}"`);
        const row = await setTenantStatus(store.db, id, status as (typeof TENANT_STATUSES)[number], now);
        if (!row) throw new UsageError(`No tenant ${id}`);
        const tenant = renderTenant(toTenant(row));
        print({ tenant }, () => `Tenant ${id} is now ${status}`);
        return;
      }
      case 'keys create': {
        const tenantId = need(values.tenant, '--tenant');
        if (!(await findTenant(store.db, tenantId))) throw new UsageError(`No tenant ${tenantId}`);
        const scopes = need(values.scopes, '--scopes')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const bad = scopes.filter((s) => !isGrant(s));
        if (bad.length || scopes.length === 0)
          throw new UsageError(`Unknown scope(s): ${bad.join(', ') || '(none given)'}`);
        const days = values['expires-in-days'] === undefined ? undefined : Number(values['expires-in-days']);
        if (days !== undefined && !(Number.isInteger(days) && days > 0 && days <= 3650)) {
          throw new UsageError('--expires-in-days takes a whole number of days (1–3650)');
        }
        const result = await createApiKey(
          store.db,
          tenantId,
          {
            scopes: scopes.filter(isGrant),
            mode: values.live ? 'live' : 'test',
            expiresInDays: days,
            name: values.name,
          },
          now,
        );
        print(
          result,
          () =>
            `Key ${result.key.id} (${result.key.scopes.join(', ')})\nAPI key (shown once): ${result.apiKey}`,
        );
        return;
      }
      case 'keys list': {
        const keys = await listKeys(store.db, need(values.tenant, '--tenant'));
        print(
          { items: keys },
          () =>
            keys
              .map(
                (k) =>
                  `${k.id}  ${k.mode.padEnd(4)}  ${k.displayKey}  ${k.revokedAt ? 'revoked' : `expires ${k.expiresAt}`}  ${k.scopes.join(',')}`,
              )
              .join('\n') || '(none)',
        );
        return;
      }
      case 'keys revoke': {
        const key = await revokeKey(store.db, need(arg1, 'KEY_ID'), now);
        print({ key }, () => `Revoked ${key.id} (${key.displayKey})`);
        return;
      }
      default:
        throw new UsageError(`Unknown command "${route}"`);
    }
  } finally {
    store.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof UsageError ? `${message}\n\n${USAGE}` : `Error: ${message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
