// Reading and saving a clinic's message settings (defaults until it saves its own).
import type { Tenant } from '../accounts/tenants.js';
import { readSettingsRow, writeSettingsRow } from '../db/messages.js';
import type { AppDeps } from '../deps.js';
import { type MessagingSettings, messagingSettingsSchema } from './settings.js';

export async function readMessagingSettings(deps: AppDeps, tenantId: string): Promise<MessagingSettings> {
  const row = await readSettingsRow(deps.store.db, tenantId);
  // Fields added in later releases take their defaults.
  return messagingSettingsSchema.parse(row?.settings ?? {});
}

/** Replaces the clinic's settings (validated by the door with messagingSettingsSchema). */
export async function saveMessagingSettings(deps: AppDeps, tenant: Tenant, settings: MessagingSettings) {
  await writeSettingsRow(deps.store.db, tenant.id, settings, deps.clock.now());
  return settings;
}
