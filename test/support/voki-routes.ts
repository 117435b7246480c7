// Every route of the Voki door with the scope it needs and a call that succeeds on a real resource:
// the security matrix (test/api/voki-security.test.ts) runs over it, and test/api/openapi.test.ts
// keeps it equal to the door's documented operations.
import type { TestApp } from './types.js';
import { createVoki, type VokiClinic, vokiBody, vokiClinic } from './voki.js';

export interface VokiResources {
  v: VokiClinic;
  appointmentId: string;
}

export interface VokiRoute {
  method: 'GET' | 'POST' | 'PUT';
  path: (r: VokiResources) => string;
  scope: string;
  body?: (r: VokiResources) => unknown;
  owned: boolean;
  at?: number;
}

let hour = 0;
/** A fresh, free hour for each booking the table makes (the fixtures share their professional). */
const nextSlot = () => new Date(Date.parse('2026-07-01T00:00:00Z') + ++hour * 3_600_000).toISOString();

export async function createVokiResources(app: TestApp): Promise<VokiResources> {
  const v = await vokiClinic(app);
  const appointment = await createVoki(app, v, '2026-06-01T10:00:00Z', {
    customer_phone: `+5511${String(900000000 + Math.floor(Math.random() * 99999999))}`,
  });
  return { v, appointmentId: appointment.id };
}

const BASE = '/api/v1/appointments';
export const VOKI_ROUTES: VokiRoute[] = [
  { method: 'GET', path: () => BASE, scope: 'appointments:read', owned: false },
  {
    method: 'POST',
    path: () => BASE,
    scope: 'appointments:write',
    body: (r) => vokiBody(r.v, nextSlot()),
    owned: false,
  },
  {
    method: 'GET',
    path: (r) => `${BASE}/conflicts?user_id=${r.v.user.id}&scheduled_at=2026-06-01T10:00:00Z`,
    scope: 'appointments:read',
    owned: false,
  },
  { method: 'GET', path: (r) => `${BASE}/${r.appointmentId}`, scope: 'appointments:read', owned: true },
  {
    method: 'PUT',
    path: (r) => `${BASE}/${r.appointmentId}`,
    scope: 'appointments:write',
    body: () => ({ appointment: { notes: 'x' } }),
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `${BASE}/${r.appointmentId}/confirm`,
    scope: 'appointments:write',
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `${BASE}/${r.appointmentId}/cancel`,
    scope: 'appointments:write',
    body: () => ({ reason: 'x' }),
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `${BASE}/${r.appointmentId}/complete`,
    scope: 'appointments:write',
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `${BASE}/${r.appointmentId}/no-show`,
    scope: 'appointments:write',
    owned: true,
    at: Date.parse('2026-06-01T10:10:00Z'),
  },
];

const TEMPLATE: VokiResources = {
  v: { user: { id: '{user}' }, department: { id: '{department}' } } as VokiClinic,
  appointmentId: '{id}',
};

/** The OpenAPI operation of a route ("PUT /api/v1/appointments/{id}"). */
export const vokiTemplateOf = (route: VokiRoute) => `${route.method} ${route.path(TEMPLATE).split('?')[0]}`;
export const describeVokiRoute = (route: VokiRoute) => `${route.method} ${route.path(TEMPLATE)}`;
