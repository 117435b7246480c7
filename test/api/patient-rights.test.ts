// A patient's data rights over HTTP: export, erase, the audit log and retention, on both runtimes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, nextPhone } from '../support/factories.js';
import { formsIn, phoneForms } from '../support/phone-scan.js';
import type { Clinic, TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

const logs: string[] = [];
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ logSink: (line) => logs.push(line) });
});
afterAll(() => app.close());

const SECRET = 'vapi-shared-secret-0123456789-abcdef';
const DAY = 86_400_000;

/** A clinic with a patient who called (booked by voice, spoke their number) and was also booked by staff. */
async function patientWithCall() {
  const phone = nextPhone();
  const v = await voiceClinic(app, 'vapi', { secret: SECRET });
  const send = (body: unknown) =>
    app.request('POST', v.path, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
    });
  const webhook = await app.request('POST', '/v1/webhooks', {
    key: v.clinic.key,
    body: { url: 'https://pms.example.invalid/hooks' },
  });
  const callId = `call-${crypto.randomUUID()}`;
  const call = { id: callId, type: 'inboundPhoneCall', customer: { number: phone } };
  await send({
    message: {
      type: 'tool-calls',
      call,
      phoneNumber: { number: '+351210000000' },
      toolCallList: [
        {
          id: 'b',
          type: 'function',
          function: {
            name: 'book_appointment',
            arguments: { service: 'consulta', startsAt: '2026-03-03T10:00', patientName: 'Maria Sousa' },
          },
        },
      ],
    },
  });
  const started = app.now() - 90_000;
  await send({
    message: {
      type: 'end-of-call-report',
      call,
      startedAt: new Date(started).toISOString(),
      endedAt: new Date(started + 60_000).toISOString(),
      endedReason: 'customer-ended-call',
      artifact: {
        messages: [
          { role: 'user', message: 'Sou a Maria Sousa, tenho dores num dente.', time: started + 4000 },
        ],
      },
    },
  });
  const manual = await app.request('POST', '/v1/appointments', {
    key: v.clinic.key,
    body: appointmentBody({ professional: v.ana, service: v.consulta }, '2026-03-04T10:00:00Z', {
      patientName: 'Maria Sousa',
      patientPhone: phone,
      patientNotes: 'Alérgica à penicilina',
      metadata: { pmsId: 'p-77' },
    }),
  });
  if (manual.status !== 201) throw new Error(`booking: ${manual.status} ${manual.text}`);
  await app.request('POST', `/v1/appointments/${manual.body.id}/cancel`, {
    key: v.clinic.key,
    body: { reason: 'Maria está doente' },
  });
  const hash = manual.body.patientPhoneHash as string;
  const keys = async (...scopes: string[]) => (await app.createKey(v.clinic.tenantId, scopes as never)).key;
  return {
    ...v,
    phone,
    hash,
    webhookId: webhook.body.id as string,
    manualId: manual.body.id as string,
    keys,
  };
}

const noPhone = (text: string, phone: string) => expect(formsIn(text, phoneForms(phone, 'PT'))).toEqual([]);

const audit = async (_clinic: Clinic, key: string, query: Record<string, string> = {}) =>
  (await app.request('GET', '/v1/audit-events', { key, query })).body;

describe('GET /v1/patients/{hash}/export', () => {
  it('answers everything held about the number, without the number, and audits the export', async () => {
    const p = await patientWithCall();
    const key = await p.keys('patients:export');
    const reply = await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}/export`, { key });
    expect(reply.status).toBe(200);
    const body = reply.body;
    expect(body.patientPhoneHash).toBe(p.hash);
    expect(body.appointments).toHaveLength(2);
    const manual = body.appointments.find((a: { id: string }) => a.id === p.manualId);
    expect(manual).toMatchObject({ patientNotes: 'Alérgica à penicilina', metadata: { pmsId: 'p-77' } });
    expect(manual.history.map((h: { action: string }) => h.action)).toEqual(['created', 'cancelled']);
    expect(body.calls).toHaveLength(1);
    expect(body.calls[0].fromNumberHash).toBeTruthy();
    const kinds = body.calls[0].events.map((e: { eventType: string }) => e.eventType).sort();
    expect(kinds).toEqual(['speech', 'tool_call']);
    expect(body.calls[0].events.find((e: { toolInput: unknown }) => e.toolInput).toolInput).toMatchObject({
      patientName: 'Maria Sousa',
    });
    // appointment.created ×2 and appointment.cancelled to the one endpoint.
    expect(body.webhookDeliveries.map((d: { eventType: string }) => d.eventType).sort()).toEqual([
      'appointment.cancelled',
      'appointment.created',
      'appointment.created',
    ]);
    noPhone(reply.text, p.phone);

    const events = await audit(p.clinic, await p.keys('audit:read'));
    expect(events.items[0]).toMatchObject({
      action: 'patient.exported',
      subject: `patient:${p.hash}`,
      actor: expect.stringMatching(/^key:/),
    });
  });

  it("another clinic's hash is a 404, with nothing exported", async () => {
    const p = await patientWithCall();
    const other = await patientWithCall();
    const key = await other.keys('patients:export');
    const reply = await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}/export`, { key });
    expect(reply.status).toBe(404);
    expect(reply.body.error).toBe('patient_not_found');
    expect((await audit(other.clinic, await other.keys('audit:read'))).items).toEqual([]);
  });
});

describe('scopes', () => {
  it('a `*` key may not export, erase or read the audit log: those scopes are granted by name', async () => {
    const p = await patientWithCall();
    const star = await p.keys('*');
    const path = `/v1/patients/${encodeURIComponent(p.hash)}`;
    for (const [method, url, scope] of [
      ['GET', `${path}/export`, 'patients:export'],
      ['POST', `${path}/erase`, 'patients:erase'],
      ['GET', '/v1/audit-events', 'audit:read'],
    ] as const) {
      const reply = await app.request(method, url, { key: star });
      expect(reply.status).toBe(403);
      expect(reply.body.message).toContain(scope);
    }
    // The `*` key still reads the patient as before.
    expect((await app.request('GET', path, { key: star })).status).toBe(200);
  });
});

describe('POST /v1/patients/{hash}/erase', () => {
  it('anonymises the appointments, their history and webhook log, and the calls; rows stay; one event', async () => {
    const p = await patientWithCall();
    const key = await p.keys('patients:erase');
    const path = `/v1/patients/${encodeURIComponent(p.hash)}/erase`;
    const reply = await app.request('POST', path, { key });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ patientPhoneHash: p.hash, status: 'erased', appointments: 2, calls: 1 });

    const list = await app.request('GET', '/v1/appointments', { key: p.clinic.key, query: { limit: 200 } });
    expect(list.body.items).toHaveLength(2);
    for (const a of list.body.items) {
      expect(a).toMatchObject({
        patientName: '[erased]',
        patientNotes: null,
        metadata: {},
        cancellationReason: null,
      });
      expect(a.patientPhoneHash).not.toBe(p.hash);
    }
    const stored = await app.sql(
      'SELECT patient_phone_encrypted AS sealed FROM appointments WHERE tenant_id = ?',
      p.clinic.tenantId,
    );
    expect(stored.map((r) => r.sealed)).toEqual(['erased', 'erased']);
    const calls = await app.sql(
      'SELECT from_number_encrypted AS sealed, from_number_hash AS hash FROM calls WHERE tenant_id = ?',
      p.clinic.tenantId,
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.sealed).toBeNull();
    const detail = await app.request(
      'GET',
      `/v1/calls/${list.body.items[0].callId ?? list.body.items[1].callId}`,
      {
        key: p.clinic.key,
      },
    );
    const speech = detail.body.events.find((e: { eventType: string }) => e.eventType === 'speech');
    const tool = detail.body.events.find((e: { eventType: string }) => e.eventType === 'tool_call');
    expect(speech.transcript).toBe('[erased]');
    expect(tool.toolInput).toEqual({});
    const history = await app.request('GET', `/v1/appointments/${p.manualId}/history`, { key: p.clinic.key });
    expect(history.text).not.toContain('Maria');
    expect(history.text).not.toContain('penicilina');
    expect(history.body.items.at(-1)).toMatchObject({
      action: 'updated',
      changes: { patient: { from: null, to: 'erased' } },
    });
    const deliveries = await app.sql(
      'SELECT event_type AS type, payload FROM webhook_deliveries WHERE tenant_id = ?',
      p.clinic.tenantId,
    );
    for (const d of deliveries) expect(String(d.payload)).not.toMatch(/Maria|penicilina|p-77/);
    const erased = deliveries.filter((d) => d.type === 'patient.erased');
    expect(erased).toHaveLength(1);
    expect(JSON.parse(String(erased[0]!.payload)).data).toMatchObject({
      patientPhoneHash: p.hash,
      appointmentIds: expect.arrayContaining([p.manualId]),
      callIds: [expect.any(String)],
    });

    // Nothing left under the hash; a repeat is a no-op answer; a new booking starts a new patient.
    expect(
      (await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}`, { key: p.clinic.key })).status,
    ).toBe(404);
    const again = await app.request('POST', path, { key });
    expect(again.body).toEqual({
      patientPhoneHash: p.hash,
      status: 'already_erased',
      appointments: 0,
      calls: 0,
    });
    expect(
      (
        await app.sql(
          "SELECT count(*) AS n FROM webhook_deliveries WHERE tenant_id = ? AND event_type = 'patient.erased'",
          p.clinic.tenantId,
        )
      )[0]!.n,
    ).toBe(1);
    const rebooked = await app.request('POST', '/v1/appointments', {
      key: p.clinic.key,
      body: appointmentBody({ professional: p.ana, service: p.consulta }, '2026-03-05T10:00:00Z', {
        patientPhone: p.phone,
      }),
    });
    expect(rebooked.body.patientPhoneHash).toBe(p.hash);
    const patient = await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}`, {
      key: p.clinic.key,
    });
    expect(patient.body.appointments).toHaveLength(1);

    const auditKey = await p.keys('audit:read');
    const erasures = await audit(p.clinic, auditKey, { action: 'patient.erased' });
    expect(erasures.items).toHaveLength(1);
    noPhone(JSON.stringify(erasures), p.phone);
  });

  it('an endpoint may subscribe to patient.erased alone', async () => {
    const p = await patientWithCall();
    const only = await app.request('POST', '/v1/webhooks', {
      key: p.clinic.key,
      body: { url: 'https://pms.example.invalid/erasures', events: ['patient.erased'] },
    });
    expect(only.status).toBe(201);
    await app.request('POST', `/v1/patients/${encodeURIComponent(p.hash)}/erase`, {
      key: await p.keys('patients:erase'),
    });
    const rows = await app.sql(
      'SELECT event_type AS type FROM webhook_deliveries WHERE endpoint_id = ?',
      only.body.id,
    );
    expect(rows).toEqual([{ type: 'patient.erased' }]);
  });

  it('honours an Idempotency-Key: the retry replays the first answer', async () => {
    const p = await patientWithCall();
    const key = await p.keys('patients:erase');
    const path = `/v1/patients/${encodeURIComponent(p.hash)}/erase`;
    const headers = { 'idempotency-key': 'erase-1' };
    const first = await app.request('POST', path, { key, headers });
    const retry = await app.request('POST', path, { key, headers });
    expect(first.body.status).toBe('erased');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('parallel erasures erase once and emit one event', async () => {
    const p = await patientWithCall();
    const key = await p.keys('patients:erase');
    const path = `/v1/patients/${encodeURIComponent(p.hash)}/erase`;
    const replies = await Promise.all(Array.from({ length: 6 }, () => app.request('POST', path, { key })));
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(replies.filter((r) => r.body.status === 'erased')).toHaveLength(1);
    const [{ n }] = (await app.sql(
      "SELECT count(*) AS n FROM webhook_deliveries WHERE tenant_id = ? AND event_type = 'patient.erased'",
      p.clinic.tenantId,
    )) as [{ n: number }];
    expect(n).toBe(1);
    const erasures = await audit(p.clinic, await p.keys('audit:read'), { action: 'patient.erased' });
    expect(erasures.items).toHaveLength(1);
  });

  it("another clinic's hash is a 404 and erases nothing", async () => {
    const p = await patientWithCall();
    const other = await patientWithCall();
    const reply = await app.request('POST', `/v1/patients/${encodeURIComponent(p.hash)}/erase`, {
      key: await other.keys('patients:erase'),
    });
    expect(reply.status).toBe(404);
    const names = await app.sql(
      'SELECT patient_name AS name FROM appointments WHERE tenant_id = ?',
      p.clinic.tenantId,
    );
    expect(names.map((r) => r.name)).toEqual(['Maria Sousa', 'Maria Sousa']);
  });
});

describe('GET /v1/audit-events', () => {
  it('records reads, pages newest first by cursor, and shows only the clinic its own', async () => {
    const p = await patientWithCall();
    const other = await patientWithCall();
    for (let i = 0; i < 3; i++) {
      await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}`, { key: p.clinic.key });
    }
    const key = await p.keys('audit:read');
    const first = await audit(p.clinic, key, { limit: '2' });
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toMatchObject({ action: 'patient.read', subject: `patient:${p.hash}` });
    const second = await audit(p.clinic, key, { limit: '2', cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await audit(other.clinic, await other.keys('audit:read'))).items).toEqual([]);
  });

  it('records call detail reads', async () => {
    const p = await patientWithCall();
    const calls = await app.request('GET', '/v1/calls', { key: p.clinic.key });
    const callId = calls.body.items[0].id;
    await app.request('GET', `/v1/calls/${callId}`, { key: p.clinic.key });
    const events = await audit(p.clinic, await p.keys('audit:read'), { action: 'call.read' });
    expect(events.items).toMatchObject([{ action: 'call.read', subject: `call:${callId}` }]);
  });
});

describe('retention (timed jobs)', () => {
  it("deletes calls' events after callRetentionDays and anonymises old appointments when set; racing runners do it once", async () => {
    const start = app.now();
    try {
      const p = await patientWithCall();
      await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}`, { key: p.clinic.key });
      app.setNow(start + 89 * DAY);
      await app.runScheduledJobs();
      const events = () => app.sql('SELECT id FROM call_events WHERE tenant_id = ?', p.clinic.tenantId);
      expect(await events()).toHaveLength(2);

      app.setNow(start + 91 * DAY);
      // Every clinic's calls in this database are due now: the two runners delete each event once.
      const [{ due }] = (await app.sql('SELECT count(*) AS due FROM call_events')) as [{ due: number }];
      const runs = (await Promise.all([app.runScheduledJobs(), app.runScheduledJobs()])) as unknown as {
        retention: { callEventsDeleted: number; appointmentsAnonymised: number };
      }[];
      expect(await events()).toHaveLength(0);
      expect(runs.reduce((n, r) => n + r.retention.callEventsDeleted, 0)).toBe(due);
      const calls = await app.sql(
        'SELECT from_number_encrypted AS sealed FROM calls WHERE tenant_id = ?',
        p.clinic.tenantId,
      );
      expect(calls).toEqual([{ sealed: null }]);
      // Off by default: the appointments keep their patient.
      const names = () =>
        app.sql('SELECT patient_name AS name FROM appointments WHERE tenant_id = ?', p.clinic.tenantId);
      expect((await names()).map((r) => r.name)).toEqual(['Maria Sousa', 'Maria Sousa']);

      await app.request('PATCH', '/v1/tenants/me', {
        key: p.clinic.key,
        body: { config: { appointmentAnonymiseAfterDays: 60, auditRetentionDays: 30 } },
      });
      const anonymised = (await Promise.all([app.runScheduledJobs(), app.runScheduledJobs()])) as unknown as {
        retention: { appointmentsAnonymised: number; auditEventsPurged: number };
      }[];
      expect(anonymised.reduce((n, r) => n + r.retention.appointmentsAnonymised, 0)).toBe(2);
      expect((await names()).map((r) => r.name)).toEqual(['[anonymised]', '[anonymised]']);
      const history = await app.request('GET', `/v1/appointments/${p.manualId}/history`, {
        key: p.clinic.key,
      });
      expect(history.text).not.toMatch(/Maria|penicilina/);
      // The patient.read audit entry is 91 days old, past the 30 kept.
      expect((await audit(p.clinic, await p.keys('audit:read'))).items).toEqual([]);
    } finally {
      app.setNow(start);
    }
  });
});

describe('logs', () => {
  it('never carry a raw patient number', async () => {
    const p = await patientWithCall();
    await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}/export`, {
      key: await p.keys('patients:export'),
    });
    await app.request('POST', `/v1/patients/${encodeURIComponent(p.hash)}/erase`, {
      key: await p.keys('patients:erase'),
    });
    noPhone(logs.join('\n'), p.phone);
  });
});
