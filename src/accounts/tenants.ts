// Clinics (tenants): creation from the admin CLI, and the settings a clinic edits itself.

import type { Db } from '../db/store.js';
import { findTenant, findTenantBySlug, insertTenant, type TenantRow, updateTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { foldText } from '../domain/text.js';
import type { ClinicSpecialty, TenantStatus } from '../domain/vocabulary.js';
import { newClinicRef } from '../security/api-key-token.js';
import {
  defaultTenantConfig,
  readTenantConfig,
  type TenantConfig,
  tenantConfigSchema,
} from './tenant-config.js';

// The lists live in the domain (the schema's CHECKs are built from them); re-exported for the doors.
export {
  CLINIC_SPECIALTIES as SPECIALTIES,
  TENANT_STATUSES,
  type TenantStatus,
} from '../domain/vocabulary.js';

/** A clinic as the core sees it: the stored row with its settings parsed. */
export interface Tenant extends Omit<TenantRow, 'config'> {
  config: TenantConfig;
}

export const toTenant = (row: TenantRow): Tenant => ({ ...row, config: readTenantConfig(row.config) });

/** Only a cancelled subscription locks a clinic out; trial and past_due keep working. */
export const isTenantActive = (tenant: Pick<TenantRow, 'status'>) => tenant.status !== 'canceled';

/** A slug's shape as this service makes them (slugify, and `-2`… when taken): no dash at either end. */
const SLUG_SHAPE = /^[a-z0-9](?:[a-z0-9-]{0,68}[a-z0-9])?$/;
export const isSlugShaped = (text: string) => SLUG_SHAPE.test(text);

export function slugify(name: string): string {
  return (
    foldText(name)
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 60)
      // Trimmed after the cut too, which may end on a dash: a slug never starts or ends with one.
      .replace(/^-+|-+$/g, '') || 'clinic'
  );
}

export interface NewTenant {
  name: string;
  timezone: string;
  country: string;
  specialty?: ClinicSpecialty;
  status?: TenantStatus;
}

/** The row of a new clinic (its slug still to be checked against the others'). */
export function newTenantRow(input: NewTenant, now: number): TenantRow {
  return {
    id: crypto.randomUUID(),
    name: input.name,
    legalName: null,
    specialty: input.specialty ?? 'other',
    status: input.status ?? 'trial',
    nif: null,
    address: null,
    postalCode: null,
    city: null,
    country: input.country.toUpperCase(),
    email: null,
    phone: null,
    publicSlug: slugify(input.name),
    publicBookingEnabled: false,
    plan: 'basic',
    trialEndsAt: input.status && input.status !== 'trial' ? null : now + 14 * 86_400_000,
    config: JSON.stringify(defaultTenantConfig(input.timezone, input.country)),
    sandboxOf: null,
    // Every hash this clinic will store is keyed per clinic: nothing for the re-hash job to do.
    legacyPhoneHashes: false,
    phoneRehashCursor: null,
    clinicRef: newClinicRef(),
    createdAt: now,
    updatedAt: now,
  };
}

export async function createTenant(db: Db, input: NewTenant, now: number): Promise<Tenant> {
  const row = newTenantRow(input, now);
  // The first free slug of base, base-2, base-3...: each insert's conflict on the unique slug decides.
  const base = row.publicSlug;
  for (let n = 2; !(await insertTenant(db, row)); n++) row.publicSlug = `${base}-${n}`;
  return toTenant(row);
}

export interface TenantPatch extends Partial<Omit<TenantRow, 'id' | 'config' | 'createdAt' | 'updatedAt'>> {
  config?: Partial<TenantConfig>;
}

export async function updateTenantSettings(
  db: Db,
  tenant: Tenant,
  patch: TenantPatch,
  now: number,
  names: Pick<AppDeps, 'announce' | 'release'> = {},
): Promise<Tenant> {
  if (patch.publicSlug === undefined || !names.announce) return writeSettings(db, tenant, patch, now, names);
  // Where clinics live apart (an object each), a slug is unique across them in the directory, and
  // claiming it there is a wait: slug changes of one store run one at a time, each from the clinic
  // as it is then (two at once would each give back the other's slug, or leave one claimed unused).
  return oneSlugChangeAtATime(db, async () => {
    const current = await findTenant(db, tenant.id);
    if (!current) throw new AppError('tenant_not_provisioned', 'Tenant not found');
    return writeSettings(db, toTenant(current), patch, now, names);
  });
}

const slugChanges = new WeakMap<Db, Promise<unknown>>();

function oneSlugChangeAtATime<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const before = slugChanges.get(db) ?? Promise.resolve();
  const mine = before.then(work, work);
  slugChanges.set(
    db,
    mine.catch(() => undefined),
  );
  return mine;
}

async function writeSettings(
  db: Db,
  tenant: Tenant,
  patch: TenantPatch,
  now: number,
  names: Pick<AppDeps, 'announce' | 'release'>,
): Promise<Tenant> {
  const { config: configPatch, ...fields } = patch;
  const config = tenantConfigSchema.parse({ ...tenant.config, ...configPatch });
  const slug = fields.publicSlug === undefined ? tenant.publicSlug : fields.publicSlug;
  const bookingEnabled = fields.publicBookingEnabled ?? tenant.publicBookingEnabled;
  if (bookingEnabled && !slug) {
    throw fieldInvalid('publicSlug', 'Public booking needs a publicSlug');
  }
  // Claimed once the patch is known valid, given back if the write does not take it, and the old
  // one given back once the new one is the clinic's (each clinic holds only a few at once).
  const { announce } = names;
  const newSlug = slug && slug !== tenant.publicSlug ? slug : null;
  if (newSlug && announce && !(await announce('slug', newSlug))) {
    throw new AppError('slug_taken', `publicSlug "${newSlug}" is taken`);
  }
  const row = await updateTenant(db, tenant.id, {
    ...fields,
    ...(fields.country ? { country: fields.country.toUpperCase() } : {}),
    config: JSON.stringify(config),
    updatedAt: now,
  });
  if (newSlug && !row) await releaseUnused(db, names, newSlug);
  if (row && slug !== tenant.publicSlug && tenant.publicSlug)
    await releaseUnused(db, names, tenant.publicSlug);
  if (!row) {
    // Nothing written: the slug guard refused, or the clinic is gone.
    if (fields.publicSlug && (await findTenantBySlug(db, fields.publicSlug))?.id !== tenant.id) {
      throw new AppError('slug_taken', `publicSlug "${fields.publicSlug}" is taken`);
    }
    throw new AppError('tenant_not_provisioned', 'Tenant not found');
  }
  return toTenant(row);
}

/**
 * Gives a slug back unless a clinic of this store still uses it: a clinic and its sandbox share one
 * claim, so the sandbox's refused attempt at the clinic's slug must not free the clinic's page.
 */
async function releaseUnused(db: Db, { release }: Pick<AppDeps, 'release'>, slug: string) {
  if (release && !(await findTenantBySlug(db, slug))) await release('slug', slug);
}
