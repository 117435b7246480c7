// Connecting a voice platform to a clinic: credentials sealed at rest, the clinic's numbers, and a
// webhook URL of its own.
import type { Tenant } from '../accounts/tenants.js';
import {
  findIntegration,
  type IntegrationRow,
  insertIntegration,
  listIntegrations,
  updateIntegration,
} from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { toE164 } from '../domain/phone.js';
import { checkEgressUrl } from '../security/egress.js';
import { CREDENTIALS, type Credentials, type Platform } from './credentials.js';
import type { VapiToolAuth } from './definitions.js';
import { canDial, OUTBOUND } from './outbound/config.js';

const context = (row: Pick<IntegrationRow, 'tenantId' | 'id'>) => `integration:${row.tenantId}:${row.id}`;

function checkCredentials(platform: Platform, credentials: unknown) {
  const parsed = CREDENTIALS[platform].safeParse(credentials);
  if (!parsed.success) {
    throw fieldInvalid(
      `credentials.${parsed.error.issues[0]?.path.join('.') ?? ''}`.replace(/\.$/, ''),
      parsed.error.issues[0]!.message,
    );
  }
  return parsed.data;
}

/** URLs a clinic sets in its credentials (an OpenAI-compatible baseURL) obey the egress rule. */
async function checkCredentialUrls<P extends Platform>(
  deps: AppDeps,
  platform: P,
  credentials: Credentials<P>,
) {
  if (platform !== 'openai') return credentials;
  const { baseURL } = credentials as Credentials<'openai'>;
  if (baseURL) await checkEgressUrl(deps.egress, baseURL, 'credentials.baseURL');
  return credentials;
}

/** A platform's callback settings (src/voice/outbound/config.ts); a URL in them obeys the egress rule. */
async function checkOutbound(deps: AppDeps, platform: Platform, outbound: unknown) {
  if (outbound === null) return null;
  if (!canDial(platform)) throw fieldInvalid('outbound', `${platform} cannot place callbacks here`);
  const parsed = OUTBOUND[platform].safeParse(outbound);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fieldInvalid(`outbound.${issue.path.join('.')}`.replace(/\.$/, ''), issue.message);
  }
  // Twilio fetches it, not us; checked all the same, so no clinic points a platform at private hosts.
  if ('twimlUrl' in parsed.data) await checkEgressUrl(deps.egress, parsed.data.twimlUrl, 'outbound.twimlUrl');
  return parsed.data as Record<string, unknown>;
}

function checkNumbers(numbers: string[], country: string) {
  return numbers.map((n, i) => {
    const e164 = toE164(n, country);
    if (!e164) throw fieldInvalid(`phoneNumbers.${i}`, 'Not a valid phone number');
    return e164;
  });
}

/** A voice integration as stored (its credentials stay sealed; doors render what they show). */
export type VoiceIntegration = IntegrationRow;

export interface NewIntegration {
  platform: Platform;
  name?: string | null;
  credentials: unknown;
  phoneNumbers?: string[];
  /** Callback settings (assistant id, from-number…); see src/voice/outbound/config.ts. */
  outbound?: unknown;
}

export async function createIntegration(
  deps: AppDeps,
  tenant: Tenant,
  input: NewIntegration,
): Promise<IntegrationRow> {
  const credentials = await checkCredentialUrls(
    deps,
    input.platform,
    checkCredentials(input.platform, input.credentials),
  );
  const now = deps.clock.now();
  const id = crypto.randomUUID();
  const row: IntegrationRow = {
    id,
    tenantId: tenant.id,
    platform: input.platform,
    name: input.name ?? null,
    credentialsEncrypted: await deps.vault.encrypt(
      JSON.stringify(credentials),
      context({ tenantId: tenant.id, id }),
    ),
    phoneNumbers: checkNumbers(input.phoneNumbers ?? [], tenant.country),
    outbound: await checkOutbound(deps, input.platform, input.outbound ?? null),
    active: true,
    createdAt: now,
    updatedAt: now,
  };
  if ((await deps.announce?.('integration', id)) === false) throw new Error(`Integration id ${id} is taken`);
  await insertIntegration(deps.store.db, row);
  return row;
}

export async function getIntegration(deps: AppDeps, tenant: Tenant, id: string): Promise<IntegrationRow> {
  const row = await findIntegration(deps.store.db, id, tenant.id);
  if (!row) throw new AppError('integration_not_found', `Integration ${id} not found`);
  return row;
}

export const listTenantIntegrations = (deps: AppDeps, tenant: Tenant) =>
  listIntegrations(deps.store.db, tenant.id);

export interface IntegrationPatch {
  name?: string | null;
  credentials?: unknown;
  phoneNumbers?: string[];
  active?: boolean;
  /** null removes the callback settings. */
  outbound?: unknown;
}

export async function changeIntegration(deps: AppDeps, tenant: Tenant, id: string, patch: IntegrationPatch) {
  const row = await getIntegration(deps, tenant, id);
  const platform = row.platform as Platform;
  const update: Partial<IntegrationRow> = { updatedAt: deps.clock.now() };
  if (patch.name !== undefined) update.name = patch.name;
  if (patch.active !== undefined) update.active = patch.active;
  if (patch.phoneNumbers) update.phoneNumbers = checkNumbers(patch.phoneNumbers, tenant.country);
  if (patch.outbound !== undefined) update.outbound = await checkOutbound(deps, platform, patch.outbound);
  if (patch.credentials !== undefined) {
    update.credentialsEncrypted = await deps.vault.encrypt(
      JSON.stringify(
        await checkCredentialUrls(deps, platform, checkCredentials(platform, patch.credentials)),
      ),
      context(row),
    );
  }
  return (await updateIntegration(deps.store.db, tenant.id, id, update))!;
}

// Every webhook request opens its integration's credentials: the opened text is kept per vault (its
// keys) and integration, and reused only while the row still holds the very same sealed text (every
// seal is new: a fresh nonce), so a rotation is seen by the next request. Bounded: the oldest entry
// goes first.
const OPENED_MAX = 1_000;
const opened = new WeakMap<object, Map<string, { sealed: string; text: string }>>();

async function openedCredentials(deps: AppDeps, row: IntegrationRow): Promise<string> {
  let cache = opened.get(deps.vault);
  if (!cache) {
    cache = new Map();
    opened.set(deps.vault, cache);
  }
  const hit = cache.get(row.id);
  if (hit?.sealed === row.credentialsEncrypted) return hit.text;
  const text = await deps.vault.decrypt(row.credentialsEncrypted, context(row));
  cache.delete(row.id);
  if (cache.size >= OPENED_MAX) cache.delete(cache.keys().next().value!);
  cache.set(row.id, { sealed: row.credentialsEncrypted, text });
  return text;
}

/** The decrypted credentials of an integration (only the webhook door needs them); a fresh object each time. */
export async function credentialsOf<P extends Platform>(
  deps: AppDeps,
  row: IntegrationRow,
): Promise<Credentials<P>> {
  return JSON.parse(await openedCredentials(deps, row)) as Credentials<P>;
}

/** How exported Vapi tools authenticate (ids and header names only: never the secret itself). */
export async function vapiToolAuth(deps: AppDeps, row: IntegrationRow): Promise<VapiToolAuth> {
  const { credentialId, headerName } = await credentialsOf<'vapi'>(deps, row);
  return { credentialId, headerName };
}

/** Names of the credential fields set, never their values. */
export async function credentialFields(deps: AppDeps, row: IntegrationRow): Promise<string[]> {
  return Object.keys(await credentialsOf(deps, row)).sort();
}
