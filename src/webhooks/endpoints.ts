// A clinic's webhook endpoints: where its PMS wants appointment events, each with its own secret.
import type { Tenant } from '../accounts/tenants.js';
import {
  type EndpointRow,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  updateEndpoint,
} from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { HOUR } from '../domain/time.js';
import { checkEgressUrl } from '../security/egress.js';
import { randomBytes, toBase64Url } from '../security/encoding.js';

/** After a rotation the old secret keeps signing (as a second v1) this long, so receivers can switch. */
export const ROTATION_OVERLAP_MS = 24 * HOUR;

const secretContext = (row: Pick<EndpointRow, 'tenantId' | 'id'>, which: 'current' | 'previous') =>
  `webhook:${row.tenantId}:${row.id}:${which}`;

const newSecret = () => `whsec_${toBase64Url(randomBytes(32))}`;

/** Like Stripe: enough for a PMS and a few integrations, and a bound on what one clinic costs the runner. */
export const MAX_ENDPOINTS_PER_CLINIC = 16;

/** https to a public internet address (plain http to this machine only when private targets are allowed). */
const checkUrl = (deps: AppDeps, text: string) => checkEgressUrl(deps.egress, text, 'url');

export async function createEndpoint(
  deps: AppDeps,
  tenant: Tenant,
  input: { url: string; events?: string[]; description?: string | null },
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const url = await checkUrl(deps, input.url);
  if ((await listEndpoints(deps.store.db, tenant.id)).length >= MAX_ENDPOINTS_PER_CLINIC) {
    throw new AppError(
      'webhook_endpoint_limit',
      `A clinic has at most ${MAX_ENDPOINTS_PER_CLINIC} webhook endpoints; remove one first`,
    );
  }
  const now = deps.clock.now();
  const id = crypto.randomUUID();
  const secret = newSecret();
  const endpoint: EndpointRow = {
    id,
    tenantId: tenant.id,
    url,
    description: input.description ?? null,
    events: input.events?.length ? [...new Set(input.events)] : ['*'],
    secretEncrypted: await deps.vault.encrypt(secret, secretContext({ tenantId: tenant.id, id }, 'current')),
    previousSecretEncrypted: null,
    previousSecretExpiresAt: null,
    active: true,
    disabledAt: null,
    disabledReason: null,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  };
  await insertEndpoint(deps.store.db, endpoint);
  return { endpoint, secret };
}

/** A webhook endpoint as stored (its secrets stay sealed; doors render what they show). */
export type WebhookEndpoint = EndpointRow;

export async function getEndpoint(deps: AppDeps, tenant: Tenant, id: string): Promise<EndpointRow> {
  const row = await findEndpoint(deps.store.db, tenant.id, id);
  if (!row?.active) throw new AppError('webhook_not_found', `Webhook endpoint ${id} not found`);
  return row;
}

export const listTenantEndpoints = (deps: AppDeps, tenant: Tenant) => listEndpoints(deps.store.db, tenant.id);

export async function changeEndpoint(
  deps: AppDeps,
  tenant: Tenant,
  id: string,
  patch: {
    url?: string;
    events?: string[];
    description?: string | null;
    active?: boolean;
    status?: 'enabled' | 'disabled';
  },
): Promise<EndpointRow> {
  const row = await getEndpoint(deps, tenant, id);
  const now = deps.clock.now();
  const update: Partial<EndpointRow> = { updatedAt: now };
  if (patch.url !== undefined) update.url = await checkUrl(deps, patch.url);
  if (patch.status === 'enabled') Object.assign(update, enabled);
  if (patch.status === 'disabled' && !row.disabledAt)
    Object.assign(update, { disabledAt: now, disabledReason: 'Disabled through the API' });
  if (patch.events !== undefined) update.events = patch.events.length ? [...new Set(patch.events)] : ['*'];
  if (patch.description !== undefined) update.description = patch.description;
  if (patch.active !== undefined) update.active = patch.active;
  return (await updateEndpoint(deps.store.db, tenant.id, id, update))!;
}

/** What re-enabling clears: the disabled state and the failure streak that led to it. */
const enabled = { disabledAt: null, disabledReason: null, failingSince: null } satisfies Partial<EndpointRow>;

/** A new secret; the old one keeps signing for ROTATION_OVERLAP_MS. */
export async function rotateSecret(deps: AppDeps, tenant: Tenant, id: string) {
  const row = await getEndpoint(deps, tenant, id);
  const now = deps.clock.now();
  const secret = newSecret();
  const old = await deps.vault.decrypt(row.secretEncrypted, secretContext(row, 'current'));
  const updated = await updateEndpoint(deps.store.db, tenant.id, id, {
    secretEncrypted: await deps.vault.encrypt(secret, secretContext(row, 'current')),
    previousSecretEncrypted: await deps.vault.encrypt(old, secretContext(row, 'previous')),
    previousSecretExpiresAt: now + ROTATION_OVERLAP_MS,
    updatedAt: now,
  });
  return { endpoint: updated!, secret };
}

/** The secrets that sign a delivery now: the current one, and the previous one during a rotation. */
export async function signingSecrets(deps: AppDeps, row: EndpointRow, now: number): Promise<string[]> {
  const secrets = [await deps.vault.decrypt(row.secretEncrypted, secretContext(row, 'current'))];
  if (row.previousSecretEncrypted && (row.previousSecretExpiresAt ?? 0) > now) {
    secrets.push(await deps.vault.decrypt(row.previousSecretEncrypted, secretContext(row, 'previous')));
  }
  return secrets;
}
