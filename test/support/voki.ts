// What the Voki-door tests share: a clinic shaped like the one in Voki's examples, a request helper
// that sends Voki's headers, and the field types of Voki's example answers (its reference document).
import { expect } from 'vitest';
import { createProfessional, createService } from './factories.js';
import type { Clinic, RequestOptions, TestApp } from './types.js';

const ALL_DAY = [{ start: '00:00', end: '24:00' }];
const EVERY_DAY = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, ALL_DAY]),
);

/** A clinic with the agent and department of Voki's examples (João Silva, Suporte Técnico, 30 min). */
export async function vokiClinic(app: TestApp) {
  const clinic = await app.createClinic({ name: `Avanter ${crypto.randomUUID().slice(0, 6)}` });
  const user = await createProfessional(app, clinic, { name: 'João Silva' });
  await app.request('PUT', `/v1/professionals/${user.id}/schedule`, {
    key: clinic.key,
    body: { weekly: EVERY_DAY },
  });
  const department = await createService(app, clinic, { name: 'Suporte Técnico', durationMinutes: 30 });
  const me = await app.request('GET', '/v1/tenants/me', { key: clinic.key });
  return { clinic, user, department, slug: me.body.publicSlug as string };
}
export type VokiClinic = Awaited<ReturnType<typeof vokiClinic>>;

/** A request to the Voki door with the clinic's key and its X-Tenant (unless overridden). */
export const voki = (
  app: TestApp,
  v: VokiClinic,
  method: string,
  path: string,
  options: RequestOptions = {},
) =>
  app.request(method, `/api/v1/appointments${path}`, {
    key: v.clinic.key,
    ...options,
    headers: { 'x-tenant': v.slug, ...options.headers },
  });

/** A create body in Voki's wrapper. */
export const vokiBody = (v: VokiClinic, scheduledAt: string, extra: Record<string, unknown> = {}) => ({
  appointment: {
    title: 'Consulta',
    scheduled_at: scheduledAt,
    department_id: v.department.id,
    user_id: v.user.id,
    customer_name: 'Carlos Ferreira',
    customer_email: 'carlos@email.com',
    customer_phone: '+5511999998888',
    ...extra,
  },
});

export const createVoki = async (app: TestApp, v: VokiClinic, scheduledAt: string, extra = {}) => {
  const reply = await voki(app, v, 'POST', '', { body: vokiBody(v, scheduledAt, extra) });
  if (reply.status !== 201) throw new Error(`createVoki: ${reply.status} ${reply.text}`);
  return reply.body.data as Record<string, any>;
};

export const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The JSON type of each field of the appointment in Voki's list example (null stays null). */
export const LIST_ITEM_TYPES: Record<string, string> = {
  id: 'string',
  title: 'string',
  description: 'string',
  status: 'string',
  scheduled_at: 'string',
  duration_minutes: 'number',
  department_id: 'string',
  department_name: 'string',
  user_id: 'string',
  user_name: 'string',
  customer_id: 'string',
  customer_name: 'string',
  customer_email: 'string',
  customer_phone: 'string',
  notes: 'null',
  inserted_at: 'string',
  updated_at: 'string',
};

/** The fields of the create example's answer (it shows no description and no notes). */
export const CREATED_TYPES: Record<string, string> = Object.fromEntries(
  Object.entries(LIST_ITEM_TYPES).filter(([k]) => k !== 'description' && k !== 'notes'),
);

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every field of the example is there with the example's type; instants are UTC `Z` strings. */
export function expectShape(object: Record<string, unknown>, types: Record<string, string>) {
  for (const [field, type] of Object.entries(types)) {
    expect(object, field).toHaveProperty(field);
    expect(typeOf(object[field]), field).toBe(type);
  }
  for (const field of ['scheduled_at', 'inserted_at', 'updated_at']) {
    if (field in types) expect(object[field], field).toMatch(UTC_INSTANT);
  }
}

export type { Clinic };
