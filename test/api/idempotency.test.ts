import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const post = (key: string, body: unknown, idempotencyKey?: string) =>
  app.request('POST', '/v1/appointments', {
    key,
    body,
    headers: idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey },
  });

const countAppointments = async (tenantId: string) =>
  Number((await app.sql('SELECT count(*) AS n FROM appointments WHERE tenant_id = ?', tenantId))[0]!.n);

describe('Idempotency-Key on POST /v1/appointments', () => {
  it('replays the first answer byte for byte with Idempotent-Replayed: true', async () => {
    const s = await setupClinic(app);
    const body = appointmentBody(s, '2026-05-14T10:00:00+01:00');
    const first = await post(s.clinic.key, body, 'pms-create-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(s.clinic.key, body, 'pms-create-1');
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('content-type')).toBe('application/json');
    expect(await countAppointments(s.clinic.tenantId)).toBe(1);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const s = await setupClinic(app);
    const body = appointmentBody(s, '2026-05-14T10:00:00+01:00');
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    await post(s.clinic.key, body, 'k-order');
    const again = await post(s.clinic.key, reordered, 'k-order');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('422 idempotency_key_reused when the same key comes with another body', async () => {
    const s = await setupClinic(app);
    await post(s.clinic.key, appointmentBody(s, '2026-05-14T10:00:00+01:00'), 'k-diff');
    const other = await post(s.clinic.key, appointmentBody(s, '2026-05-14T11:00:00+01:00'), 'k-diff');
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('idempotency_key_reused');
    expect(await countAppointments(s.clinic.tenantId)).toBe(1);
  });

  it('records and replays a slot conflict (a deterministic business error)', async () => {
    const s = await setupClinic(app);
    await post(s.clinic.key, appointmentBody(s, '2026-05-14T10:00:00+01:00'));
    const body = appointmentBody(s, '2026-05-14T10:15:00+01:00', { patientName: 'João' });
    const conflict = await post(s.clinic.key, body, 'k-conflict');
    expect(conflict.status).toBe(409);
    const again = await post(s.clinic.key, body, 'k-conflict');
    expect(again.status).toBe(409);
    expect(again.text).toBe(conflict.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not record validation errors: a corrected retry with the same key runs', async () => {
    const s = await setupClinic(app);
    const bad = await post(
      s.clinic.key,
      appointmentBody(s, '2026-05-14T10:00:00+01:00', { patientPhone: '+351012345678' }),
      'k-fix',
    );
    expect(bad.status).toBe(422);
    const malformed = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: '{"professionalId":',
      headers: { 'Idempotency-Key': 'k-fix' },
    });
    expect(malformed.status).toBe(400);
    const good = await post(s.clinic.key, appointmentBody(s, '2026-05-14T10:00:00+01:00'), 'k-fix');
    expect(good.status).toBe(201);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('scopes keys per clinic', async () => {
    const a = await setupClinic(app);
    const b = await setupClinic(app);
    const ra = await post(a.clinic.key, appointmentBody(a, '2026-05-14T10:00:00+01:00'), 'shared-key');
    const rb = await post(b.clinic.key, appointmentBody(b, '2026-05-14T10:00:00+01:00'), 'shared-key');
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.headers.get('idempotent-replayed')).toBeNull();
    expect(rb.body.id).not.toBe(ra.body.id);
  });

  it('scopes keys per API key: another key of the same clinic has a key space of its own', async () => {
    const a = await setupClinic(app);
    const second = await app.createKey(a.clinic.tenantId, ['*']);
    const first = await post(a.clinic.key, appointmentBody(a, '2026-05-14T10:00:00+01:00'), 'pms-1');
    const other = await post(second.key, appointmentBody(a, '2026-05-14T11:00:00+01:00'), 'pms-1');
    expect(first.status).toBe(201);
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await countAppointments(a.clinic.tenantId)).toBe(2);
  });

  it('keeps a key 24 hours; after that the same key runs as new', async () => {
    const s = await setupClinic(app);
    const start = app.now();
    try {
      const first = await post(s.clinic.key, appointmentBody(s, '2026-05-14T10:00:00+01:00'), 'k-ttl');
      app.setNow(start + 24 * 3600_000 - 1000);
      const within = await post(s.clinic.key, appointmentBody(s, '2026-05-14T10:00:00+01:00'), 'k-ttl');
      expect(within.headers.get('idempotent-replayed')).toBe('true');
      expect(within.body.id).toBe(first.body.id);
      app.setNow(start + 24 * 3600_000 + 1000);
      const after = await post(s.clinic.key, appointmentBody(s, '2026-05-14T11:00:00+01:00'), 'k-ttl');
      expect(after.status).toBe(201);
      expect(after.headers.get('idempotent-replayed')).toBeNull();
      expect(after.body.id).not.toBe(first.body.id);
    } finally {
      app.setNow(start);
    }
  });

  it.each([
    ['', 'empty'],
    ['a'.repeat(256), 'too long'],
    ['clé', 'non-ASCII'],
    ['has space', 'a space'],
  ])('400 invalid_idempotency_key for a %s key (%s)', async (value) => {
    const s = await setupClinic(app);
    const reply = await post(s.clinic.key, appointmentBody(s, '2026-05-14T10:00:00+01:00'), value);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_idempotency_key');
    expect(await countAppointments(s.clinic.tenantId)).toBe(0);
  });

  it('accepts a quoted structured-field key as the same key', async () => {
    const s = await setupClinic(app);
    const body = appointmentBody(s, '2026-05-14T10:00:00+01:00');
    await post(s.clinic.key, body, 'quoted-1');
    const again = await post(s.clinic.key, body, '"quoted-1"');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('ignores the header on reads', async () => {
    const s = await setupClinic(app);
    const reply = await app.request('GET', '/v1/appointments', {
      key: s.clinic.key,
      headers: { 'Idempotency-Key': 'x' },
    });
    expect(reply.status).toBe(200);
  });

  // docs/invariants.md I-1: only appointment writes take a key; elsewhere it is not even read.
  it('ignores the header on a write that does not take one, even an invalid key', async () => {
    const s = await setupClinic(app);
    const create = (key: string) =>
      app.request('POST', '/v1/professionals', {
        key: s.clinic.key,
        body: { name: 'Dra. Rita Lopes' },
        headers: { 'Idempotency-Key': key },
      });
    const first = await create('pro-1');
    const second = await create('pro-1');
    const invalid = await create('has space');
    expect([first.status, second.status, invalid.status]).toEqual([201, 201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(new Set([first.body.id, second.body.id, invalid.body.id]).size).toBe(3);
  });

  // docs/invariants.md I-6: a browser client must be able to tell a replay from a fresh answer.
  it('lets a browser read Idempotent-Replayed (CORS exposes it)', async () => {
    const s = await setupClinic(app);
    const reply = await app.request('GET', '/v1/tenants/me', {
      key: s.clinic.key,
      headers: { Origin: 'https://pms.example.com' },
    });
    const exposed = (reply.headers.get('access-control-expose-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase());
    expect(exposed).toContain('idempotent-replayed');
  });
});

describe('concurrency', () => {
  it('100 parallel POSTs with one Idempotency-Key make one appointment; every answer is that 201', async () => {
    const s = await setupClinic(app);
    const body = appointmentBody(s, '2026-05-14T10:00:00+01:00');
    const replies = await Promise.all(Array.from({ length: 100 }, () => post(s.clinic.key, body, 'one-key')));
    expect(replies.map((r) => r.status)).toEqual(Array(100).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await countAppointments(s.clinic.tenantId)).toBe(1);
  });

  it('100 parallel POSTs for one slot with different keys: exactly one 201, the rest 409', async () => {
    const s = await setupClinic(app);
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        post(
          s.clinic.key,
          appointmentBody(s, '2026-05-14T10:00:00+01:00', { patientName: `Paciente ${i}` }),
          `slot-${i}`,
        ),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((st) => st === 201)).toHaveLength(1);
    expect(statuses.filter((st) => st === 409)).toHaveLength(99);
    expect(await countAppointments(s.clinic.tenantId)).toBe(1);
  });

  it('100 parallel POSTs of overlapping (not identical) times without keys: no two overlap', async () => {
    const s = await setupClinic(app);
    const base = Date.parse('2026-05-14T09:00:00Z');
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        post(s.clinic.key, appointmentBody(s, new Date(base + i * 5 * 60_000).toISOString())),
      ),
    );
    expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const rows = await app.sql(
      "SELECT starts_at, ends_at FROM appointments WHERE tenant_id = ? AND status IN ('confirmed','rescheduled') ORDER BY starts_at",
      s.clinic.tenantId,
    );
    expect(rows.length).toBe(replies.filter((r) => r.status === 201).length);
    for (let i = 1; i < rows.length; i++)
      expect(Number(rows[i]!.starts_at)).toBeGreaterThanOrEqual(Number(rows[i - 1]!.ends_at));
  });
});

describe('atomicity', () => {
  it('a failure inside the unit leaves nothing behind, and the retry with the same key runs', async () => {
    const s = await setupClinic(app);
    // A real failure late in the unit (the history insert), injected with a trigger.
    await app.exec(`CREATE TRIGGER fail_history BEFORE INSERT ON appointment_history
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const body = appointmentBody(s, '2026-05-14T10:00:00+01:00');
    let failed: Awaited<ReturnType<typeof post>> | undefined;
    try {
      failed = await post(s.clinic.key, body, 'k-crash');
    } finally {
      await app.exec('DROP TRIGGER fail_history');
    }
    expect(failed?.status).toBe(500);
    expect(failed?.body).toMatchObject({ error: 'internal_error', errors: [] });
    expect(failed?.text).not.toContain('injected');
    expect(await countAppointments(s.clinic.tenantId)).toBe(0);
    expect(await app.sql('SELECT * FROM idempotency_keys WHERE tenant_id = ?', s.clinic.tenantId)).toEqual(
      [],
    );

    const retry = await post(s.clinic.key, body, 'k-crash');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await countAppointments(s.clinic.tenantId)).toBe(1);
  });
});
