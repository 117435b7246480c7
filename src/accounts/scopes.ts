// What an API key may do. `*` grants everything.
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
  // The raw number of callers on /v1/calls (fromNumber). Only when named on the key: `*` does not
  // include it, so a clinic decides deliberately which of its systems may read patients' numbers.
  'calls:read_phone',
  'webhooks:write',
] as const;

export type Scope = (typeof SCOPES)[number];
export type Grant = Scope | '*';

export const isGrant = (value: string): value is Grant =>
  value === '*' || (SCOPES as readonly string[]).includes(value);

/** Scopes `*` does not grant: they must be named on the key. */
const EXPLICIT_ONLY: readonly Scope[] = ['calls:read_phone'];

export const grants = (held: readonly string[], needed: Scope) =>
  held.includes(needed) || (held.includes('*') && !EXPLICIT_ONLY.includes(needed));
