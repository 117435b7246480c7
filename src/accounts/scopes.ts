// What an API key may do. `*` grants every ordinary scope, but not the patient-rights ones below:
// exporting or erasing a patient's data, and reading who did, are named on a key explicitly. A PMS
// key issued with `*` before these existed keeps exactly what it could do (least surprise), and no
// key gains a destructive power nobody chose to give it (least privilege).
export const SCOPES = [
  'appointments:read',
  'appointments:write',
  'professionals:read',
  'professionals:write',
  'services:read',
  'services:write',
  'tenant:read',
  'tenant:write',
  'calls:read',
  'calls:write',
  // Placing an outbound call to a caller (POST /v1/calls/{id}/callback): it spends the clinic's
  // platform minutes and rings a patient, so a read-only PMS key cannot do it. Granted by `*`.
  'callbacks:write',
  // The raw number of callers on /v1/calls (fromNumber). Only when named on the key: `*` does not
  // include it, so a clinic decides deliberately which of its systems may read patients' numbers.
  'calls:read_phone',
  // Patients' phone numbers in full on the Voki-compatible door (customer_phone); masked without it.
  // Explicit like calls:read_phone, and every read is written to the audit log (patient.read).
  'appointments:read_phone',
  'webhooks:write',
  // Messages to patients: reading what went (GET /v1/messages, settings) and configuring senders.
  'messages:read',
  'messaging:write',
  // Making, listing and revoking the clinic's test keys (POST /v1/api-keys makes test keys only).
  'api_keys:write',
  'patients:export',
  'patients:erase',
  'audit:read',
] as const;

/** Scopes `*` does not imply: each must be granted by name. */
export const EXPLICIT_SCOPES: readonly Scope[] = [
  'patients:export',
  'patients:erase',
  'audit:read',
  'calls:read_phone',
  'appointments:read_phone',
];

export type Scope = (typeof SCOPES)[number];
export type Grant = Scope | '*';

export const isGrant = (value: string): value is Grant =>
  value === '*' || (SCOPES as readonly string[]).includes(value);

export const grants = (held: readonly string[], needed: Scope) =>
  held.includes(needed) || (held.includes('*') && !EXPLICIT_SCOPES.includes(needed));
