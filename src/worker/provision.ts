// Provisioning on Workers with one object per clinic: the admin API's `Provisioning` (the lobby
// runs it) makes each clinic in a new Durable Object, placed in the configured jurisdiction or
// near a location hint, then enters it in the directory. Per-clinic operations go to the clinic's
// object by its tenant id. The admin door and the CLI stay as they are (src/api/admin.ts).

import type { ApiKeyView } from '../accounts/api-keys.js';
import type { ClinicPage, ClinicResult, Provisioning } from '../accounts/provisioning.js';
import type { Tenant } from '../accounts/tenants.js';
import { decodeCursor, encodeCursor } from '../booking/cursor.js';
import type { Clock } from '../domain/clock.js';
import { AppError, type ErrorCode, type FieldError } from '../domain/errors.js';
import type { ClinicObject, ProvisionCall } from './clinic-object.js';
import type { Directory, DirectoryEntry } from './directory.js';
import type { Placement } from './env.js';

/** A result across RPC: an AppError's code and fields survive, which a thrown error's would not. */
export type Outcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: { code: ErrorCode; message: string; errors: FieldError[]; retryAfterSeconds?: number };
    };

/** Runs `work` and wraps its result or its AppError for the caller on the other side of RPC. */
export async function settle<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const { code, message, errors, retryAfterSeconds } = error;
    return { ok: false, error: { code, message, errors, retryAfterSeconds } };
  }
}

/** The value of an Outcome, or its AppError thrown again on this side. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const { code, message, errors, retryAfterSeconds } = outcome.error;
  throw new AppError(code, message, errors, retryAfterSeconds);
}

const SLUG_ATTEMPTS = 20;

/**
 * Claims the first free of `base`, `base-2`, `base-3`… in the directory for the clinic `ref` (slugs
 * are unique across clinics' objects only there) and gives it to the clinic's object when it is not
 * the one the object chose; null, and no slug, when all are taken (the clinic sets one later).
 */
export async function claimSlug(
  directory: Directory,
  clinic: { useSlug(slug: string | null): Promise<void> },
  ref: string,
  base: string,
): Promise<string | null> {
  for (let n = 1; n <= SLUG_ATTEMPTS; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if ((await directory.claim('slug', slug, ref)) !== ref) continue;
    if (slug !== base) await clinic.useSlug(slug);
    return slug;
  }
  await clinic.useSlug(null);
  return null;
}

export interface ClinicPlacementDeps {
  clinics: DurableObjectNamespace<ClinicObject>;
  directory: Directory;
  placement: Placement;
  clock: Clock;
}

/** The name a placement is recorded under in the directory. */
const placementName = ({ jurisdiction, locationHint }: Placement) =>
  jurisdiction ? `jurisdiction:${jurisdiction}` : locationHint ? `hint:${locationHint}` : null;

export function directoryProvisioning({
  clinics,
  directory,
  placement,
  clock,
}: ClinicPlacementDeps): Provisioning {
  const stubOf = (entry: DirectoryEntry) => clinics.get(clinics.idFromString(entry.objectId));
  const clinicOf = async (tenantId: string) => {
    const entry = await directory.resolve('tenant', tenantId);
    if (!entry) throw new AppError('tenant_not_provisioned', `No clinic ${tenantId}`);
    return stubOf(entry);
  };
  const call = async <T>(tenantId: string, request: ProvisionCall) =>
    unwrap((await (await clinicOf(tenantId)).provision(request, clock.now())) as Outcome<T>);

  return {
    async createClinic(input, request = {}) {
      // A jurisdiction is part of the object's id: its data never leaves it. A location hint only
      // says where to create the object first.
      const space = placement.jurisdiction ? clinics.jurisdiction(placement.jurisdiction) : clinics;
      // With an Idempotency-Key, its retries reach the same object, whose own unit decides replays.
      const id = request.idempotency
        ? space.idFromName(`admin:${request.idempotency.key}`)
        : space.newUniqueId();
      const stub = clinics.get(id, placement.locationHint ? { locationHint: placement.locationHint } : {});
      const result = unwrap(
        (await stub.createClinic(input, clock.now(), request.idempotency)) as Outcome<ClinicResult>,
      );
      // Also on a replay: a retry completes what an attempt cut short after creating the clinic, its
      // directory entry and its slug's claim (claiming what the clinic already holds changes nothing).
      const made = (await stub.clinic()) as Awaited<ReturnType<ClinicObject['clinic']>>;
      if (!made) return result;
      await directory.addClinic({ ...made, objectId: id.toString(), placement: placementName(placement) });
      const slug = result.replayed
        ? unwrap(
            (await stub.provision(
              { method: 'getClinic', args: [made.tenantId] },
              clock.now(),
            )) as Outcome<Tenant>,
          ).publicSlug
        : result.made.tenant.publicSlug;
      if (slug) {
        const claimed = await claimSlug(directory, stub, made.ref, slug);
        if (!result.replayed) result.made.tenant.publicSlug = claimed;
      }
      return result;
    },

    async listClinics({ limit, cursor }) {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const entries = await directory.page(limit + 1, after && { at: after.at, ref: after.id });
      const shown = entries.slice(0, limit);
      // One hop per clinic listed (at most a page): the clinic's own object holds its current state.
      const items = await Promise.all(
        shown.map(async (entry) =>
          unwrap(
            (await stubOf(entry).provision(
              { method: 'getClinic', args: [entry.tenantId] },
              clock.now(),
            )) as Outcome<Tenant>,
          ),
        ),
      );
      const last = shown.at(-1);
      const page: ClinicPage = {
        items,
        nextCursor:
          entries.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.ref }) : null,
      };
      return page;
    },

    getClinic: (id) => call<Tenant>(id, { method: 'getClinic', args: [id] }),
    setStatus: (id, status) => call<Tenant>(id, { method: 'setStatus', args: [id, status] }),
    createKey: (tenantId, input) =>
      call<{ apiKey: string; key: ApiKeyView }>(tenantId, { method: 'createKey', args: [tenantId, input] }),
    listKeys: (tenantId) => call<ApiKeyView[]>(tenantId, { method: 'listKeys', args: [tenantId] }),
    async revokeKey(keyId, tenantId) {
      // Keys live in their clinic's object: without the clinic there is nowhere to look.
      if (tenantId === undefined) throw new AppError('api_key_not_found', `API key ${keyId} not found`);
      return call<ApiKeyView>(tenantId, { method: 'revokeKey', args: [keyId, tenantId] });
    },
  };
}
