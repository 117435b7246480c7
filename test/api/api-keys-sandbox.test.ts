// Test keys (miv_test_) reach the clinic's sandbox, never its live data, and live keys never see the
// sandbox: appointments, the catalogue, patients, calls and webhook endpoints are apart both ways.
// Nothing leaves the service for the sandbox: its webhook events are recorded as `simulated`, with
// the event that would have been sent, and no attempt is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService } from '../support/factories.js';
import type { Clinic, TestApp } from '../support/types.js';

const SECRET = 'sandbox-vapi-secret-0123456789abcdefgh';
const AT = '2026-03-03T10:00:00Z';
let app: TestApp;
let live: Clinic;
let test: Clinic;

beforeAll(async () => {
  app = await startTestApp();
  live = await app.createClinic({ name: 'Clínica Sorriso' });
  const made = await app.createKey(live.tenantId, ['*'], { mode: 'test' });
  const me = await app.request('GET', '/v1/tenants/me', { key: made.key });
  expect(me.status, me.text).toBe(200);
  test = { tenantId: me.body.id, key: made.key, keyId: made.keyId };
});
afterAll(() => app.close());

async function bookIn(clinic: Clinic, phone = '+351912345678') {
  const ids = {
    professional: await createProfessional(app, clinic),
    service: await createService(app, clinic),
  };
  const reply = await app.request('POST', '/v1/appointments', {
    key: clinic.key,
    body: appointmentBody(ids, AT, { patientPhone: phone }),
  });
  expect(reply.status, reply.text).toBe(201);
  return { ...ids, appointment: reply.body as { id: string; patientPhoneHash: string } };
}

const listed = async (clinic: Clinic, path: string) =>
  (
    (await app.request('GET', path, { key: clinic.key, query: { limit: 200 } })).body.items as {
      id: string;
    }[]
  ).map((i) => i.id);

describe('a test key works on a sandbox of the clinic', () => {
  it('is a tenant of its own, marked livemode false, with the clinic’s name and settings', async () => {
    const sandbox = await app.request('GET', '/v1/tenants/me', { key: test.key });
    const clinic = await app.request('GET', '/v1/tenants/me', { key: live.key });
    expect(test.key).toMatch(/^miv_test_/);
    expect(sandbox.body).toMatchObject({
      livemode: false,
      name: 'Clínica Sorriso',
      publicBookingEnabled: false,
    });
    expect(clinic.body.livemode).toBe(true);
    expect(sandbox.body.id).not.toBe(live.tenantId);
    expect(sandbox.body.config).toEqual(clinic.body.config);
    // A second test key reaches the same sandbox, not a new one.
    const again = await app.createKey(live.tenantId, ['tenant:read'], { mode: 'test' });
    expect((await app.request('GET', '/v1/tenants/me', { key: again.key })).body.id).toBe(test.tenantId);
  });

  it('never sees live appointments, professionals or patients', async () => {
    const booked = await bookIn(live);
    expect(await listed(test, '/v1/appointments')).toEqual([]);
    expect(await listed(test, '/v1/professionals')).toEqual([]);
    expect(await listed(test, '/v1/services')).toEqual([]);
    for (const path of [
      `/v1/appointments/${booked.appointment.id}`,
      `/v1/professionals/${booked.professional.id}`,
      `/v1/patients/${booked.appointment.patientPhoneHash}`,
    ]) {
      expect((await app.request('GET', path, { key: test.key })).status, path).toBe(404);
    }
    const cancel = await app.request('POST', `/v1/appointments/${booked.appointment.id}/cancel`, {
      key: test.key,
      body: { reason: 'test' },
    });
    expect(cancel.status).toBe(404);
    expect(
      (await app.request('GET', `/v1/appointments/${booked.appointment.id}`, { key: live.key })).body.status,
    ).toBe('confirmed');
  });

  it('books in the sandbox without touching the live diary, and live keys never see it', async () => {
    const before = await listed(live, '/v1/appointments');
    // The same professional name, time and phone: the sandbox's diary is its own, so no conflict.
    const sandboxed = await bookIn(test);
    expect(await listed(test, '/v1/appointments')).toEqual([sandboxed.appointment.id]);
    expect(await listed(live, '/v1/appointments')).toEqual(before);
    expect(await listed(live, '/v1/professionals')).not.toContain(sandboxed.professional.id);
    expect(
      (await app.request('GET', `/v1/appointments/${sandboxed.appointment.id}`, { key: live.key })).status,
    ).toBe(404);
    const byPhone = await app.request('GET', '/v1/appointments', {
      key: live.key,
      query: { patientPhone: '+351912345678' },
    });
    expect(byPhone.body.items.map((i: { id: string }) => i.id)).not.toContain(sandboxed.appointment.id);
  });

  it('keeps calls apart both ways', async () => {
    const callOn = async (clinic: Clinic, callId: string) => {
      const integration = await app.request('POST', '/v1/voice/integrations', {
        key: clinic.key,
        body: { platform: 'vapi', name: 'line', credentials: { secret: SECRET } },
      });
      expect(integration.status, integration.text).toBe(201);
      const path = new URL(integration.body.webhookUrl).pathname;
      const reply = await app.request('POST', path, {
        headers: { 'x-vapi-secret': SECRET },
        body: {
          message: {
            type: 'status-update',
            status: 'in-progress',
            call: { id: callId, customer: { number: '+351934567812' } },
          },
        },
      });
      expect(reply.status, reply.text).toBe(200);
      const calls = await app.request('GET', '/v1/calls', { key: clinic.key });
      return calls.body.items[0].id as string;
    };
    const sandboxCall = await callOn(test, 'call-in-sandbox');
    const liveCall = await callOn(live, 'call-in-live');
    expect(await listed(test, '/v1/calls')).toEqual([sandboxCall]);
    expect(await listed(live, '/v1/calls')).toEqual([liveCall]);
    expect((await app.request('GET', `/v1/calls/${liveCall}`, { key: test.key })).status).toBe(404);
    expect((await app.request('GET', `/v1/calls/${sandboxCall}`, { key: live.key })).status).toBe(404);
  });

  it('records webhook events as simulated, with the event, and never attempts to send them', async () => {
    const hook = async (clinic: Clinic) => {
      const reply = await app.request('POST', '/v1/webhooks', {
        key: clinic.key,
        body: { url: 'https://pms.example.com/hooks', events: ['appointment.created'] },
      });
      expect(reply.status, reply.text).toBe(201);
      return reply.body.id as string;
    };
    const sandboxHook = await hook(test);
    expect(await listed(live, '/v1/webhooks')).not.toContain(sandboxHook);
    const booked = await bookIn(test, '+351911111111');
    const report = await app.runScheduledJobs();
    expect(report.webhooks).toMatchObject({ delivered: 0, retried: 0, failed: 0 });
    const deliveries = await app.request('GET', `/v1/webhooks/${sandboxHook}/deliveries`, { key: test.key });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items).toHaveLength(1);
    const [delivery] = deliveries.body.items;
    expect(delivery).toMatchObject({
      status: 'simulated',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      nextAttemptAt: null,
      eventType: 'appointment.created',
    });
    expect(delivery.event).toMatchObject({
      type: 'appointment.created',
      tenantId: test.tenantId,
      data: { appointment: { id: booked.appointment.id } },
    });
    expect(
      (await app.request('GET', `/v1/webhooks/${sandboxHook}/deliveries`, { key: live.key })).status,
    ).toBe(404);
  });
});
