// Every authenticated route, with the scope it needs and how to call it on a real resource.
// The security matrix (test/api/security.test.ts) runs over this table: a new route goes here.
import { appointmentBody, setupClinic } from './factories.js';
import type { Clinic, TestApp } from './types.js';

export interface Resources {
  clinic: Clinic;
  professionalId: string;
  serviceId: string;
  appointmentId: string;
  exceptionId: string;
  integrationId: string;
  callId: string;
  webhookId: string;
}

export interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: (r: Resources) => string;
  scope: string;
  body?: (r: Resources) => unknown;
  /** Whether the path names one resource, so another clinic's id must answer 404. */
  owned: boolean;
}

export async function createResources(app: TestApp): Promise<Resources> {
  const s = await setupClinic(app);
  const appointment = await app.request('POST', '/v1/appointments', {
    key: s.clinic.key,
    body: appointmentBody(s, '2026-06-01T10:00:00Z'),
  });
  const secret = 'route-table-secret-0123456789-0123456789';
  const integration = await app.request('POST', '/v1/voice/integrations', {
    key: s.clinic.key,
    body: { platform: 'vapi', credentials: { secret } },
  });
  // A call exists once a platform reports it.
  await app.request('POST', new URL(integration.body.webhookUrl).pathname, {
    headers: { 'x-vapi-secret': secret },
    body: {
      message: { type: 'status-update', status: 'in-progress', call: { id: `call-${integration.body.id}` } },
    },
  });
  const calls = await app.request('GET', '/v1/calls', { key: s.clinic.key });
  const webhook = await app.request('POST', '/v1/webhooks', {
    key: s.clinic.key,
    body: { url: 'https://pms.example.invalid/hooks' },
  });
  return {
    clinic: s.clinic,
    integrationId: integration.body.id,
    callId: calls.body.items[0].id,
    webhookId: webhook.body.id,
    professionalId: s.professional.id,
    serviceId: s.service.id,
    appointmentId: appointment.body.id,
    exceptionId: (
      await app.request('POST', `/v1/professionals/${s.professional.id}/exceptions`, {
        key: s.clinic.key,
        body: { kind: 'holiday', date: '2026-12-25' },
      })
    ).body.id,
  };
}

export const ROUTES: RouteCase[] = [
  { method: 'GET', path: () => '/v1/tenants/me', scope: 'tenant:read', owned: false },
  {
    method: 'PATCH',
    path: () => '/v1/tenants/me',
    scope: 'tenant:write',
    body: () => ({ city: 'Porto' }),
    owned: false,
  },
  { method: 'GET', path: () => '/v1/professionals', scope: 'professionals:read', owned: false },
  {
    method: 'POST',
    path: () => '/v1/professionals',
    scope: 'professionals:write',
    body: () => ({ name: 'Dr. X' }),
    owned: false,
  },
  {
    method: 'GET',
    path: (r) => `/v1/professionals/${r.professionalId}`,
    scope: 'professionals:read',
    owned: true,
  },
  {
    method: 'PATCH',
    path: (r) => `/v1/professionals/${r.professionalId}`,
    scope: 'professionals:write',
    body: () => ({ specialty: 'Ortodontia' }),
    owned: true,
  },
  {
    method: 'DELETE',
    path: (r) => `/v1/professionals/${r.professionalId}`,
    scope: 'professionals:write',
    owned: true,
  },
  { method: 'GET', path: () => '/v1/services', scope: 'services:read', owned: false },
  {
    method: 'POST',
    path: () => '/v1/services',
    scope: 'services:write',
    body: () => ({ name: 'Higiene', durationMinutes: 45 }),
    owned: false,
  },
  { method: 'GET', path: (r) => `/v1/services/${r.serviceId}`, scope: 'services:read', owned: true },
  {
    method: 'PATCH',
    path: (r) => `/v1/services/${r.serviceId}`,
    scope: 'services:write',
    body: () => ({ priceCents: 5000 }),
    owned: true,
  },
  { method: 'DELETE', path: (r) => `/v1/services/${r.serviceId}`, scope: 'services:write', owned: true },
  { method: 'GET', path: () => '/v1/appointments', scope: 'appointments:read', owned: false },
  {
    method: 'POST',
    path: () => '/v1/appointments',
    scope: 'appointments:write',
    body: (r) =>
      appointmentBody(
        { professional: { id: r.professionalId }, service: { id: r.serviceId } },
        '2026-06-02T10:00:00Z',
      ),
    owned: false,
  },
  {
    method: 'GET',
    path: (r) => `/v1/appointments/${r.appointmentId}`,
    scope: 'appointments:read',
    owned: true,
  },
  {
    method: 'PATCH',
    path: (r) => `/v1/appointments/${r.appointmentId}`,
    scope: 'appointments:write',
    body: () => ({ patientNotes: 'x' }),
    owned: true,
  },
  {
    method: 'DELETE',
    path: (r) => `/v1/appointments/${r.appointmentId}`,
    scope: 'appointments:write',
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `/v1/appointments/${r.appointmentId}/cancel`,
    scope: 'appointments:write',
    body: () => ({ reason: 'x' }),
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `/v1/appointments/${r.appointmentId}/attend`,
    scope: 'appointments:write',
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `/v1/appointments/${r.appointmentId}/reschedule`,
    scope: 'appointments:write',
    body: () => ({ startsAt: '2026-06-03T10:00:00Z' }),
    owned: true,
  },
  {
    method: 'GET',
    path: (r) => `/v1/appointments/${r.appointmentId}/history`,
    scope: 'appointments:read',
    owned: true,
  },
  {
    method: 'GET',
    path: (r) =>
      `/v1/appointments/conflicts?professionalId=${r.professionalId}&startsAt=2026-06-01T10:00:00Z`,
    scope: 'appointments:read',
    owned: false,
  },
  {
    method: 'GET',
    path: (r) => `/v1/availability?serviceTypeId=${r.serviceId}&from=2026-06-01&to=2026-06-02`,
    scope: 'appointments:read',
    owned: false,
  },
  {
    method: 'GET',
    path: (r) => `/v1/professionals/${r.professionalId}/schedule`,
    scope: 'professionals:read',
    owned: true,
  },
  {
    method: 'PUT',
    path: (r) => `/v1/professionals/${r.professionalId}/schedule`,
    scope: 'professionals:write',
    body: () => ({ weekly: { monday: [{ start: '09:00', end: '17:00' }] } }),
    owned: true,
  },
  {
    method: 'GET',
    path: (r) => `/v1/professionals/${r.professionalId}/exceptions`,
    scope: 'professionals:read',
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `/v1/professionals/${r.professionalId}/exceptions`,
    scope: 'professionals:write',
    body: () => ({ kind: 'time_off', date: '2026-07-01' }),
    owned: true,
  },
  {
    method: 'DELETE',
    path: (r) => `/v1/professionals/${r.professionalId}/exceptions/${r.exceptionId}`,
    scope: 'professionals:write',
    owned: true,
  },
  { method: 'GET', path: () => '/v1/patients?search=maria', scope: 'appointments:read', owned: false },
  {
    method: 'POST',
    path: () => '/v1/voice/integrations',
    scope: 'calls:write',
    body: () => ({ platform: 'vapi', credentials: { secret: 'another-secret-0123456789-0123456789' } }),
    owned: false,
  },
  { method: 'GET', path: () => '/v1/voice/integrations', scope: 'calls:write', owned: false },
  {
    method: 'GET',
    path: (r) => `/v1/voice/integrations/${r.integrationId}`,
    scope: 'calls:write',
    owned: true,
  },
  {
    method: 'PATCH',
    path: (r) => `/v1/voice/integrations/${r.integrationId}`,
    scope: 'calls:write',
    body: () => ({ name: 'Linha principal' }),
    owned: true,
  },
  {
    method: 'DELETE',
    path: (r) => `/v1/voice/integrations/${r.integrationId}`,
    scope: 'calls:write',
    owned: true,
  },
  { method: 'GET', path: () => '/v1/voice/tools?format=vapi', scope: 'calls:read', owned: false },
  { method: 'GET', path: () => '/v1/calls', scope: 'calls:read', owned: false },
  { method: 'GET', path: (r) => `/v1/calls/${r.callId}`, scope: 'calls:read', owned: true },
  {
    method: 'POST',
    path: () => '/v1/webhooks',
    scope: 'webhooks:write',
    body: () => ({ url: 'https://pms.example.invalid/other' }),
    owned: false,
  },
  { method: 'GET', path: () => '/v1/webhooks', scope: 'webhooks:write', owned: false },
  { method: 'GET', path: (r) => `/v1/webhooks/${r.webhookId}`, scope: 'webhooks:write', owned: true },
  {
    method: 'PATCH',
    path: (r) => `/v1/webhooks/${r.webhookId}`,
    scope: 'webhooks:write',
    body: () => ({ description: 'x' }),
    owned: true,
  },
  { method: 'DELETE', path: (r) => `/v1/webhooks/${r.webhookId}`, scope: 'webhooks:write', owned: true },
  {
    method: 'POST',
    path: (r) => `/v1/webhooks/${r.webhookId}/rotate-secret`,
    scope: 'webhooks:write',
    owned: true,
  },
  {
    method: 'GET',
    path: (r) => `/v1/webhooks/${r.webhookId}/deliveries`,
    scope: 'webhooks:write',
    owned: true,
  },
];

export const describeRoute = (route: RouteCase) =>
  `${route.method} ${route.path({
    clinic: { tenantId: '', key: '', keyId: '' },
    professionalId: ':id',
    serviceId: ':id',
    appointmentId: ':id',
    exceptionId: ':exceptionId',
    integrationId: ':id',
    callId: ':id',
    webhookId: ':id',
  })}`;
