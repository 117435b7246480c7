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
  'webhooks:write',
] as const;

export type Scope = (typeof SCOPES)[number];
export type Grant = Scope | '*';

export const isGrant = (value: string): value is Grant =>
  value === '*' || (SCOPES as readonly string[]).includes(value);

export const grants = (held: readonly string[], needed: Scope) => held.includes('*') || held.includes(needed);
