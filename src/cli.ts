// Admin CLI: what "Settings → Integrations" does in Mivicall. `npm run cli -- help`.
import { parseArgs } from 'node:util';
import { type Provisioning, storeProvisioning } from './accounts/provisioning.js';
import { EXPLICIT_SCOPES, isGrant, SCOPES } from './accounts/scopes.js';
import { SPECIALTIES, TENANT_STATUSES, type TenantStatus } from './accounts/tenants.js';
import { renderApiKey } from './api/schemas/api-key.js';
import { renderTenant } from './api/schemas/tenant.js';
import { openSqliteStore } from './db/sqlite.js';
import { systemClock } from './domain/clock.js';
import { AppError, errorMessage } from './domain/errors.js';
import { isTimeZone } from './domain/time.js';
import {
  AdminApiError,
  adminClient,
  type ClinicCreatedAnswer,
  type KeyAnswer,
  type KeyCreatedAnswer,
  type NewClinicBody,
  type NewKeyBody,
  type TenantAnswer,
} from './node/admin-client.js';

const USAGE = `Usage: npm run cli -- <command> [options] [--url URL --admin-token TOKEN]

  Without --url the commands work on the local SQLite file (DATABASE_PATH, default ./data/agendai.db).
  With --url (or AGENDAI_URL) they call that service's admin API (/admin/v1) with --admin-token (or
  ADMIN_TOKEN): a clinic on Cloudflare Workers, or a Node server elsewhere.

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
  keys revoke KEY_ID [--tenant ID] [--json]      (--tenant is required with --url)

Scopes: ${SCOPES.filter((s) => !EXPLICIT_SCOPES.includes(s)).join(' ')}, or *;
        by name only: ${EXPLICIT_SCOPES.join(' ')}`;

class UsageError extends Error {}

/** What the commands need, on the local file or on a service's admin API; answers as the API renders them. */
interface Operator {
  createClinic(input: NewClinicBody): Promise<ClinicCreatedAnswer>;
  listClinics(): Promise<TenantAnswer[]>;
  getClinic(id: string): Promise<TenantAnswer>;
  setStatus(id: string, status: TenantStatus): Promise<TenantAnswer>;
  createKey(tenantId: string, input: NewKeyBody): Promise<KeyCreatedAnswer>;
  listKeys(tenantId: string): Promise<KeyAnswer[]>;
  revokeKey(keyId: string, tenantId: string | undefined): Promise<KeyAnswer>;
}

/** The local file, through the same provisioning functions the admin API runs, rendered as it renders them. */
function localOperator(provisioning: Provisioning): Operator {
  const zoneOf = async (tenantId: string) => (await provisioning.getClinic(tenantId)).config.timezone;
  return {
    async createClinic({ live, ...input }) {
      const result = await provisioning.createClinic({
        ...input,
        specialty: input.specialty as (typeof SPECIALTIES)[number] | undefined,
        status: input.status as TenantStatus | undefined,
        live,
      });
      if (result.replayed) throw new Error('Unreachable: a local create sends no Idempotency-Key');
      const { tenant, apiKey, key } = result.made;
      return { tenant: renderTenant(tenant), apiKey, key: renderApiKey(key, tenant.config.timezone) };
    },
    async listClinics() {
      const items: TenantAnswer[] = [];
      let cursor: string | undefined;
      do {
        const page = await provisioning.listClinics({ limit: 200, cursor });
        items.push(...page.items.map(renderTenant));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    },
    getClinic: async (id) => renderTenant(await provisioning.getClinic(id)),
    setStatus: async (id, status) => renderTenant(await provisioning.setStatus(id, status)),
    async createKey(tenantId, { live, scopes, ...input }) {
      const { apiKey, key } = await provisioning.createKey(tenantId, {
        ...input,
        scopes: scopes.filter(isGrant),
        mode: live ? 'live' : 'test',
      });
      return { apiKey, key: renderApiKey(key, await zoneOf(tenantId)) };
    },
    async listKeys(tenantId) {
      const zone = await zoneOf(tenantId);
      return (await provisioning.listKeys(tenantId)).map((key) => renderApiKey(key, zone));
    },
    async revokeKey(keyId, tenantId) {
      const key = await provisioning.revokeKey(keyId, tenantId);
      return renderApiKey(key, await zoneOf(key.tenantId));
    },
  };
}

function remoteOperator(url: string, token: string): Operator {
  const client = adminClient(url, token);
  return {
    async createClinic(input) {
      const { replayed, ...made } = await client.createClinic(input);
      if (replayed) {
        console.error(
          'The clinic was made by an earlier attempt whose answer was lost; its key is not shown again:',
        );
        console.error(
          `make another with: keys create --tenant ${made.tenant.id} --scopes '*' and revoke ${made.key.id}`,
        );
      }
      return made;
    },
    listClinics: () => client.listClinics(),
    getClinic: (id) => client.getClinic(id),
    setStatus: (id, status) => client.setStatus(id, status),
    createKey: (tenantId, input) => client.createKey(tenantId, input),
    listKeys: (tenantId) => client.listKeys(tenantId),
    revokeKey(keyId, tenantId) {
      if (!tenantId) throw new UsageError('keys revoke needs --tenant ID with --url');
      return client.revokeKey(keyId, tenantId);
    },
  };
}

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
      url: { type: 'string' },
      'admin-token': { type: 'string' },
    },
  });
  const [group, action, arg1, arg2] = positionals;
  if (!group || group === 'help') {
    console.log(USAGE);
    return;
  }
  const url = values.url ?? (process.env.AGENDAI_URL || undefined);
  const token = values['admin-token'] ?? process.env.ADMIN_TOKEN;
  if (url !== undefined && !/^https?:\/\/\S+$/.test(url))
    throw new UsageError(`--url takes an http(s) URL, not "${url}"`);
  if (url && !token)
    throw new UsageError("--url needs --admin-token (or ADMIN_TOKEN): the service's ADMIN_TOKEN");
  const store = url ? undefined : openSqliteStore(process.env.DATABASE_PATH ?? './data/agendai.db');
  const operator = store
    ? localOperator(storeProvisioning({ store, clock: systemClock }))
    : remoteOperator(url!, token!);
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
        const made = await operator.createClinic({
          name: need(values.name, '--name'),
          timezone,
          country,
          specialty,
          status,
          live: values.live,
        });
        print(
          made,
          () =>
            `Tenant ${made.tenant.id} (${made.tenant.name})\nAPI key (shown once): ${made.apiKey ?? '(not shown again)'}`,
        );
        return;
      }
      case 'tenants list': {
        const rows = await operator.listClinics();
        print(
          { items: rows },
          () => rows.map((t) => `${t.id}  ${t.status.padEnd(9)} ${t.name}`).join('\n') || '(none)',
        );
        return;
      }
      case 'tenants show': {
        const tenant = await operator.getClinic(need(arg1, 'ID'));
        print({ tenant }, () => JSON.stringify(tenant, null, 2));
        return;
      }
      case 'tenants set-status': {
        const id = need(arg1, 'ID');
        const status = need(arg2, 'STATUS');
        if (!(TENANT_STATUSES as readonly string[]).includes(status))
          throw new UsageError(`Unknown status "${status}"`);
        const tenant = await operator.setStatus(id, status as TenantStatus);
        print({ tenant }, () => `Tenant ${id} is now ${status}`);
        return;
      }
      case 'keys create': {
        const tenantId = need(values.tenant, '--tenant');
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
        const result = await operator.createKey(tenantId, {
          scopes,
          live: values.live,
          expiresInDays: days,
          name: values.name,
        });
        print(
          result,
          () =>
            `Key ${result.key.id} (${result.key.scopes.join(', ')})\nAPI key (shown once): ${result.apiKey}`,
        );
        return;
      }
      case 'keys list': {
        const keys = await operator.listKeys(need(values.tenant, '--tenant'));
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
        const key = await operator.revokeKey(need(arg1, 'KEY_ID'), values.tenant);
        print({ key }, () => `Revoked ${key.id} (${key.displayKey})`);
        return;
      }
      default:
        throw new UsageError(`Unknown command "${route}"`);
    }
  } catch (error) {
    // An unknown clinic is the operator's typo, as it always was here: a usage error.
    const code = error instanceof AppError || error instanceof AdminApiError ? error.code : undefined;
    if (code === 'tenant_not_provisioned') throw new UsageError(`No tenant ${values.tenant ?? arg1}`);
    if (error instanceof AdminApiError) throw new Error(`${error.code}: ${error.message}`);
    throw error;
  } finally {
    await store?.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  const message = errorMessage(error);
  console.error(error instanceof UsageError ? `${message}\n\n${USAGE}` : `Error: ${message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
