// Every authenticated route, with the scope it needs and how to call it on a real resource.
// The security matrix (test/api/security.test.ts) runs over this table: a new route goes here, and
// test/api/openapi.test.ts fails until it does (the table and the OpenAPI operations are one set).
import { appointmentBody, nextPhone, setupClinic } from './factories.js';
import { STAND_IN_KEYS } from './platform-stand-in.js';
import type { Clinic, TestApp } from './types.js';

export interface Resources {
  clinic: Clinic;
  professionalId: string;
  serviceId: string;
  appointmentId: string;
  /** The phone hash of the appointment's patient (a number no other clinic's fixtures use). */
  patientHash: string;
  exceptionId: string;
  integrationId: string;
  callId: string;
  webhookId: string;
  /** A channel with a message sender configured (sms). */
  messageChannel: string;
  /** One of the clinic's test keys (miv_test_). */
  testKeyId: string;
}

export interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: (r: Resources) => string;
  scope: string;
  body?: (r: Resources) => unknown;
  /** Whether the path names one resource, so another clinic's id must answer 404. */
  owned: boolean;
  /** The service's clock during the call, when the route needs one (a no-show needs a started visit). */
  at?: number;
}

/** A public route: documented, and answering without a key. */
export interface PublicRoute {
  method: RouteCase['method'];
  path: string;
}

const MESSAGE_SENDER = {
  provider: 'twilio',
  from: '+351300000001',
  credentials: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'route-table-twilio-token' },
};

const TRIAGE = { questions: [{ id: 'allergies', type: 'yes_no', label: 'Allergies?' }] };

export const PUBLIC_ROUTES: PublicRoute[] = [{ method: 'GET', path: '/health' }];

/** The OpenAPI template of a route (`/v1/appointments/{id}`), to compare the table with the document. */
export const templateOf = (route: RouteCase) => `${route.method} ${route.path(TEMPLATE_IDS).split('?')[0]}`;

export async function createResources(app: TestApp): Promise<Resources> {
  const s = await setupClinic(app);
  const appointment = await app.request('POST', '/v1/appointments', {
    key: s.clinic.key,
    body: appointmentBody(s, '2026-06-01T10:00:00Z', { patientPhone: nextPhone() }),
  });
  const secret = 'route-table-secret-0123456789-0123456789';
  const integration = await app.request('POST', '/v1/voice/integrations', {
    key: s.clinic.key,
    // Callbacks go to the platform stand-in (see security.test.ts's app).
    body: {
      platform: 'vapi',
      credentials: { secret, apiKey: STAND_IN_KEYS.vapi },
      outbound: { assistantId: 'asst-routes', phoneNumberId: 'pn-routes' },
    },
  });
  // A call exists once a platform reports it; its end-of-call report names a recording.
  const vapiCall = { id: `call-${integration.body.id}`, customer: { number: nextPhone() } };
  for (const message of [
    { type: 'status-update', status: 'in-progress' },
    { type: 'end-of-call-report', artifact: { recordingUrl: 'https://recordings.example.invalid/call.wav' } },
  ]) {
    await app.request('POST', new URL(integration.body.webhookUrl).pathname, {
      headers: { 'x-vapi-secret': secret },
      body: { message: { ...message, call: vapiCall } },
    });
  }
  const calls = await app.request('GET', '/v1/calls', { key: s.clinic.key });
  await app.request('PUT', '/v1/messaging/senders/sms', { key: s.clinic.key, body: MESSAGE_SENDER });
  // The service asks triage questions and the clinic sends messages (after the booking: it queued
  // nothing), so POST /v1/appointments/{id}/triage/send can succeed.
  await app.request('PUT', `/v1/services/${s.service.id}/triage`, { key: s.clinic.key, body: TRIAGE });
  await app.request('PUT', '/v1/messaging/settings', {
    key: s.clinic.key,
    body: { enabled: true, confirmationSources: [], reminderHours: 0 },
  });
  const webhook = await app.request('POST', '/v1/webhooks', {
    key: s.clinic.key,
    body: { url: 'https://pms.example.invalid/hooks' },
  });
  const testKey = await app.request('POST', '/v1/api-keys', {
    key: s.clinic.key,
    body: { scopes: ['tenant:read'] },
  });
  return {
    clinic: s.clinic,
    testKeyId: testKey.body.key.id,
    integrationId: integration.body.id,
    callId: calls.body.items[0].id,
    webhookId: webhook.body.id,
    messageChannel: 'sms',
    professionalId: s.professional.id,
    serviceId: s.service.id,
    appointmentId: appointment.body.id,
    patientHash: appointment.body.patientPhoneHash,
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
  { method: 'GET', path: (r) => `/v1/services/${r.serviceId}/triage`, scope: 'services:read', owned: true },
  {
    method: 'PUT',
    path: (r) => `/v1/services/${r.serviceId}/triage`,
    scope: 'services:write',
    body: () => TRIAGE,
    owned: true,
  },
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
    path: (r) => `/v1/appointments/${r.appointmentId}/patient-link`,
    scope: 'appointments:write',
    owned: true,
  },
  {
    method: 'POST',
    path: (r) => `/v1/appointments/${r.appointmentId}/triage/send`,
    scope: 'appointments:write',
    owned: true,
  },
  {
    method: 'GET',
    path: (r) => `/v1/appointments/${r.appointmentId}/triage`,
    scope: 'appointments:read',
    owned: true,
  },
  {
    method: 'GET',
    path: (r) => `/v1/appointments/${r.appointmentId}/feedback`,
    scope: 'appointments:read',
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
    path: (r) => `/v1/appointments/${r.appointmentId}/no-show`,
    scope: 'appointments:write',
    owned: true,
    // Half an hour into the fixture's 10:00 appointment.
    at: Date.parse('2026-06-01T10:30:00Z'),
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
    method: 'GET',
    path: (r) => `/v1/patients/${r.patientHash}`,
    scope: 'appointments:read',
    owned: true,
  },
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
  { method: 'GET', path: () => '/v1/callback-requests', scope: 'calls:read', owned: false },
  { method: 'POST', path: (r) => `/v1/calls/${r.callId}/callback`, scope: 'callbacks:write', owned: true },
  { method: 'GET', path: (r) => `/v1/calls/${r.callId}/recording`, scope: 'calls:read', owned: true },
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
  // Another clinic's hash → 404 is checked in patient-rights.test.ts and the hostile isolation suite.
  {
    method: 'GET',
    path: (r) => `/v1/patients/${r.patientHash}/export`,
    scope: 'patients:export',
    owned: false,
  },
  {
    method: 'POST',
    path: (r) => `/v1/patients/${r.patientHash}/erase`,
    scope: 'patients:erase',
    owned: false,
  },
  { method: 'GET', path: () => '/v1/audit-events', scope: 'audit:read', owned: false },
  { method: 'GET', path: () => '/v1/messages', scope: 'messages:read', owned: false },
  { method: 'GET', path: () => '/v1/messaging/settings', scope: 'messages:read', owned: false },
  {
    method: 'PUT',
    path: () => '/v1/messaging/settings',
    scope: 'messaging:write',
    body: () => ({ enabled: false }),
    owned: false,
  },
  { method: 'GET', path: () => '/v1/messaging/templates', scope: 'messages:read', owned: false },
  { method: 'GET', path: () => '/v1/messaging/senders', scope: 'messages:read', owned: false },
  {
    method: 'PUT',
    path: (r) => `/v1/messaging/senders/${r.messageChannel}`,
    scope: 'messaging:write',
    body: () => MESSAGE_SENDER,
    owned: false,
  },
  {
    method: 'DELETE',
    path: (r) => `/v1/messaging/senders/${r.messageChannel}`,
    scope: 'messaging:write',
    owned: false,
  },
  {
    method: 'POST',
    path: () => '/v1/api-keys',
    scope: 'api_keys:write',
    // A key may hand out only what it holds: here, the one scope the matrix gives it.
    body: () => ({ scopes: ['api_keys:write'] }),
    owned: false,
  },
  { method: 'GET', path: () => '/v1/api-keys', scope: 'api_keys:write', owned: false },
  { method: 'GET', path: (r) => `/v1/api-keys/${r.testKeyId}`, scope: 'api_keys:write', owned: true },
  { method: 'DELETE', path: (r) => `/v1/api-keys/${r.testKeyId}`, scope: 'api_keys:write', owned: true },
];

const TEMPLATE_IDS: Resources = {
  clinic: { tenantId: '', key: '', keyId: '' },
  professionalId: '{id}',
  serviceId: '{id}',
  appointmentId: '{id}',
  patientHash: '{hash}',
  exceptionId: '{exceptionId}',
  integrationId: '{id}',
  callId: '{id}',
  webhookId: '{id}',
  messageChannel: '{channel}',
  testKeyId: '{id}',
};

export const describeRoute = (route: RouteCase) =>
  `${route.method} ${route.path({
    clinic: { tenantId: '', key: '', keyId: '' },
    professionalId: ':id',
    serviceId: ':id',
    appointmentId: ':id',
    patientHash: ':hash',
    exceptionId: ':exceptionId',
    integrationId: ':id',
    callId: ':id',
    webhookId: ':id',
    messageChannel: ':channel',
    testKeyId: ':id',
  })}`;
