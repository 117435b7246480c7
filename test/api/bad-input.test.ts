import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
let s: Awaited<ReturnType<typeof setupClinic>>;
beforeAll(async () => {
  app = await startTestApp();
  s = await setupClinic(app);
});
afterAll(() => app.close());

const expectEnvelope = (body: any, error: string) => {
  expect(body).toEqual({
    error,
    message: expect.any(String),
    requestId: expect.any(String),
    errors: expect.any(Array),
  });
};

describe('bad input is answered in the envelope, never a 500', () => {
  it('400 malformed_payload for broken JSON', async () => {
    for (const body of ['{"professionalId":', '{]', 'null x', '\u0000']) {
      const reply = await app.request('POST', '/v1/appointments', { key: s.clinic.key, body });
      expect(reply.status, body).toBe(400);
      expectEnvelope(reply.body, 'malformed_payload');
    }
  });

  it('400 malformed_payload for an empty JSON body on a create', async () => {
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(400);
    expectEnvelope(reply.body, 'malformed_payload');
  });

  it('422 naming each required field when a create has no body at all', async () => {
    const reply = await app.request('POST', '/v1/appointments', { key: s.clinic.key });
    expect(reply.status).toBe(422);
    expect(reply.body.errors).toContainEqual({ path: 'patientPhone', message: 'Required' });
  });

  it('422 validation_failed for JSON that is not an object', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const reply = await app.request('POST', '/v1/appointments', { key: s.clinic.key, body });
      expect(reply.status, body).toBe(422);
      expectEnvelope(reply.body, 'validation_failed');
    }
  });

  it('415 unsupported_media_type for a body that is not JSON', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const reply = await app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: 'professionalId=1',
        headers: { 'content-type': type },
      });
      expect(reply.status, type).toBe(415);
      expectEnvelope(reply.body, 'unsupported_media_type');
    }
  });

  it('accepts application/json with a charset', async () => {
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-07-01T10:00:00Z'),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(reply.status).toBe(201);
  });

  it('413 payload_too_large above 64 KiB, and nothing is written', async () => {
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-07-02T10:00:00Z', { patientNotes: 'x'.repeat(70 * 1024) }),
    });
    expect(reply.status).toBe(413);
    expectEnvelope(reply.body, 'payload_too_large');
    const rows = await app.sql(
      'SELECT 1 FROM appointments WHERE starts_at = ?',
      Date.parse('2026-07-02T10:00:00Z'),
    );
    expect(rows).toHaveLength(0);
  });

  it('422 for unknown fields in a create body, naming the field', async () => {
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-07-03T10:00:00Z', { patientEmail: 'maria@example.com' }),
    });
    expect(reply.status).toBe(422);
    expect(JSON.stringify(reply.body.errors)).toContain('patientEmail');
  });

  it('422 lists every missing and mistyped field', async () => {
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: { professionalId: 42, patientName: '', startsAt: null },
    });
    expect(reply.status).toBe(422);
    const paths = reply.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['professionalId', 'serviceTypeId', 'patientName', 'patientPhone', 'startsAt']),
    );
  });

  it('422 for hostile strings, stored safely when they are valid text', async () => {
    const name = "Robert'); DROP TABLE appointments;-- 🦷";
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-07-04T10:00:00Z', { patientName: name }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body.patientName).toBe(name.trim());
    // A bidi override would be echoed to the PMS, the page and the voice: refused (issue 10, #12).
    const reversed = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-07-04T11:00:00Z', { patientName: `${name} \u202e` }),
    });
    expect(reversed.status).toBe(422);
    expectEnvelope(reversed.body, 'validation_failed');
    const list = await app.request('GET', '/v1/appointments', { key: s.clinic.key });
    expect(list.status).toBe(200);
  });

  it('422 for bad query parameters', async () => {
    for (const query of [
      { from: 'yesterday' },
      { limit: '0' },
      { limit: '201' },
      { status: 'pending' },
      { source: 'fax' },
      { cursor: 'garbage' },
    ]) {
      const reply = await app.request('GET', '/v1/appointments', { key: s.clinic.key, query });
      expect(reply.status, JSON.stringify(query)).toBe(422);
      expectEnvelope(reply.body, 'validation_failed');
    }
  });

  it('404 in the envelope for unknown routes and unknown ids', async () => {
    const route = await app.request('GET', '/v1/nothing-here', { key: s.clinic.key });
    expect(route.status).toBe(404);
    expectEnvelope(route.body, 'not_found');
    for (const id of ['not-a-uuid', crypto.randomUUID(), "1' OR '1'='1"]) {
      const reply = await app.request('GET', `/v1/appointments/${encodeURIComponent(id)}`, {
        key: s.clinic.key,
      });
      expect(reply.status).toBe(404);
      expectEnvelope(reply.body, 'appointment_not_found');
    }
  });

  it('gives every answer an X-Request-Id equal to the body requestId', async () => {
    const reply = await app.request('GET', '/v1/appointments/x', { key: s.clinic.key });
    expect(reply.headers.get('x-request-id')).toBe(reply.body.requestId);
  });
});
