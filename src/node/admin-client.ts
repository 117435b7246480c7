// The admin CLI's way to a running service: the operator's API (/admin/v1) over fetch, so a clinic
// on Workers (or on a Node server elsewhere) is provisioned without touching its database.
import type { z } from 'zod';
import type { ClinicCreatedSchema } from '../api/schemas/admin.js';
import type { ApiKeyCreatedSchema, ApiKeySchema } from '../api/schemas/api-key.js';
import type { TenantSchema } from '../api/schemas/tenant.js';

/** A refusal of the service, in its envelope's words. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The admin API's answers, typed by the schemas it is documented with. */
export type TenantAnswer = z.infer<typeof TenantSchema>;
export type KeyAnswer = z.infer<typeof ApiKeySchema>;
export type KeyCreatedAnswer = z.infer<typeof ApiKeyCreatedSchema>;
export type ClinicCreatedAnswer = z.infer<typeof ClinicCreatedSchema>;

export interface NewClinicBody {
  name: string;
  timezone: string;
  country: string;
  specialty?: string;
  status?: string;
  live?: boolean;
}

export interface NewKeyBody {
  scopes: string[];
  live?: boolean;
  name?: string;
  expiresInDays?: number;
}

// A retried create sends the same Idempotency-Key, so a lost answer never makes a second clinic.
const ATTEMPTS = 3;

export function adminClient(baseUrl: string, token: string, fetcher: typeof fetch = fetch) {
  const base = baseUrl.replace(/\/+$/, '');

  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ body: T; headers: Headers }> {
    const response = await fetcher(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      const envelope = (parsed ?? {}) as { error?: unknown; message?: unknown };
      const code = typeof envelope.error === 'string' ? envelope.error : `http_${response.status}`;
      const message =
        typeof envelope.message === 'string' ? envelope.message : `HTTP ${response.status} from ${base}`;
      throw new AdminApiError(response.status, code, message);
    }
    return { body: parsed as T, headers: response.headers };
  }

  return {
    /** The clinic and its first key; `replayed` when an earlier attempt made it (the key is then null). */
    async createClinic(input: NewClinicBody): Promise<ClinicCreatedAnswer & { replayed: boolean }> {
      const key = `cli-${crypto.randomUUID()}`;
      for (let attempt = 1; ; attempt++) {
        try {
          const reply = await call<ClinicCreatedAnswer>('POST', '/admin/v1/tenants', input, {
            'idempotency-key': key,
          });
          return { ...reply.body, replayed: reply.headers.get('idempotent-replayed') === 'true' };
        } catch (error) {
          const retryable = !(error instanceof AdminApiError) || error.status >= 500;
          if (!retryable || attempt >= ATTEMPTS) throw error;
        }
      }
    },
    /** Every clinic, following the pages. */
    async listClinics(): Promise<TenantAnswer[]> {
      const items: TenantAnswer[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = (
          await call<{ items: TenantAnswer[]; nextCursor: string | null }>(
            'GET',
            `/admin/v1/tenants?limit=200${query}`,
          )
        ).body;
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
    getClinic: async (id: string) =>
      (await call<TenantAnswer>('GET', `/admin/v1/tenants/${encodeURIComponent(id)}`)).body,
    setStatus: async (id: string, status: string) =>
      (await call<TenantAnswer>('PATCH', `/admin/v1/tenants/${encodeURIComponent(id)}`, { status })).body,
    createKey: async (tenantId: string, input: NewKeyBody) =>
      (
        await call<KeyCreatedAnswer>(
          'POST',
          `/admin/v1/tenants/${encodeURIComponent(tenantId)}/api-keys`,
          input,
        )
      ).body,
    listKeys: async (tenantId: string): Promise<KeyAnswer[]> =>
      (
        await call<{ items: KeyAnswer[] }>(
          'GET',
          `/admin/v1/tenants/${encodeURIComponent(tenantId)}/api-keys`,
        )
      ).body.items,
    revokeKey: async (keyId: string, tenantId: string) =>
      (
        await call<KeyAnswer>(
          'DELETE',
          `/admin/v1/tenants/${encodeURIComponent(tenantId)}/api-keys/${encodeURIComponent(keyId)}`,
        )
      ).body,
  };
}
