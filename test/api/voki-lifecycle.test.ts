// The Voki door as a client uses it over time: pages and sorting, the status actions (and the moves
// they refuse), PUT, the same appointments through /v1 and the webhooks both ways, retries with one
// Idempotency-Key, and many clients racing for one slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';
import { createVoki, type VokiClinic, voki, vokiBody, vokiClinic } from '../support/voki.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ now: Date.parse('2026-02-15T10:00:00Z') });
});
afterAll(() => app.close());

const ids = (reply: { body: { data: { id: string }[] } }) => reply.body.data.map((a) => a.id);

describe('list: paging, sorting, filters', () => {
  let v: VokiClinic;
  const created: Record<string, any>[] = [];
  beforeAll(async () => {
    v = await vokiClinic(app);
    // Five appointments inserted in the reverse order of their times, one hour apart.
    for (let i = 4; i >= 0; i--) {
      created.push(
        await createVoki(app, v, `2026-02-2${i}T10:00:00Z`, {
          title: `T${i}`,
          customer_phone: `+55119999900${i}0`,
        }),
      );
      app.setNow(app.now() + 60_000);
    }
  });

  it('defaults: page 1 of 20, by scheduled_at ascending', async () => {
    const reply = await voki(app, v, 'GET', '');
    expect(reply.status).toBe(200);
    expect(reply.body.meta).toEqual({ current_page: 1, page_size: 20, total_pages: 1, total_count: 5 });
    expect(reply.body.data.map((a: { title: string }) => a.title)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
  });

  it('pages: page_size 2 makes three pages that cover every appointment once', async () => {
    const pages = [];
    for (const page of [1, 2, 3]) {
      const reply = await voki(app, v, 'GET', '', { query: { page, page_size: 2 } });
      expect(reply.body.meta).toEqual({ current_page: page, page_size: 2, total_pages: 3, total_count: 5 });
      pages.push(ids(reply));
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(new Set(pages.flat()).size).toBe(5);
    const beyond = await voki(app, v, 'GET', '', { query: { page: 4, page_size: 2 } });
    expect(beyond.body.data).toEqual([]);
    expect(beyond.body.meta.total_count).toBe(5);
  });

  it('sorts by scheduled_at, inserted_at or title, either way', async () => {
    const byStartDesc = await voki(app, v, 'GET', '', { query: { sort_order: 'desc' } });
    expect(byStartDesc.body.data.map((a: { title: string }) => a.title)).toEqual([
      'T4',
      'T3',
      'T2',
      'T1',
      'T0',
    ]);
    const byInserted = await voki(app, v, 'GET', '', { query: { sort_by: 'inserted_at' } });
    expect(ids(byInserted)).toEqual(created.map((a) => a.id));
    const byTitleDesc = await voki(app, v, 'GET', '', { query: { sort_by: 'title', sort_order: 'desc' } });
    expect(byTitleDesc.body.data[0].title).toBe('T4');
  });

  it('filters by date range (dates are inclusive days), status, agent and department', async () => {
    const range = await voki(app, v, 'GET', '', {
      query: { date_from: '2026-02-21', date_to: '2026-02-23' },
    });
    expect(range.body.data.map((a: { title: string }) => a.title)).toEqual(['T1', 'T2', 'T3']);
    const instants = await voki(app, v, 'GET', '', {
      query: { date_from: '2026-02-21T10:00:00Z', date_to: '2026-02-21T10:00:00Z' },
    });
    expect(instants.body.data.map((a: { title: string }) => a.title)).toEqual(['T1']);
    await voki(app, v, 'POST', `/${created[0]!.id}/confirm`);
    const confirmed = await voki(app, v, 'GET', '', { query: { status: 'confirmed' } });
    expect(ids(confirmed)).toEqual([created[0]!.id]);
    const scheduled = await voki(app, v, 'GET', '', { query: { status: 'scheduled' } });
    expect(scheduled.body.meta.total_count).toBe(4);
    const mine = await voki(app, v, 'GET', '', {
      query: { user_id: v.user.id, department_id: v.department.id },
    });
    expect(mine.body.meta.total_count).toBe(5);
    const nobody = await voki(app, v, 'GET', '', { query: { user_id: crypto.randomUUID() } });
    expect(nobody.body).toEqual({
      data: [],
      meta: { current_page: 1, page_size: 20, total_pages: 1, total_count: 0 },
    });
  });
});

describe('lifecycle through the action endpoints', () => {
  it('scheduled → confirmed → completed; final statuses refuse every other action with 409', async () => {
    const v = await vokiClinic(app);
    const a = await createVoki(app, v, '2026-02-16T09:00:00Z');
    expect(a.status).toBe('scheduled');
    const confirmed = await voki(app, v, 'POST', `/${a.id}/confirm`);
    expect(confirmed.body.data.status).toBe('confirmed');
    // Confirming again changes nothing.
    const again = await voki(app, v, 'POST', `/${a.id}/confirm`);
    expect(again.status).toBe(200);
    expect(again.body.data.confirmed_at).toBe(confirmed.body.data.confirmed_at);
    const completed = await voki(app, v, 'POST', `/${a.id}/complete`);
    expect(completed.body.data.status).toBe('completed');
    for (const action of ['confirm', 'cancel', 'no-show']) {
      const refused = await voki(app, v, 'POST', `/${a.id}/${action}`);
      expect(refused.status, action).toBe(409);
      expect(Object.keys(refused.body.errors)).toEqual(['detail']);
    }
    const moved = await voki(app, v, 'PUT', `/${a.id}`, {
      body: { appointment: { scheduled_at: '2026-02-17T09:00:00Z' } },
    });
    expect(moved.status).toBe(409);
    const current = await voki(app, v, 'GET', `/${a.id}`);
    expect(current.body.data.status).toBe('completed');
  });

  it('cancelled is final; a no-show waits for the start', async () => {
    const v = await vokiClinic(app);
    const a = await createVoki(app, v, '2026-02-16T11:00:00Z');
    const early = await voki(app, v, 'POST', `/${a.id}/no-show`);
    expect(early.status).toBe(409);
    const cancelled = await voki(app, v, 'POST', `/${a.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', cancellation_reason: null });
    for (const action of ['confirm', 'complete', 'no-show']) {
      expect((await voki(app, v, 'POST', `/${a.id}/${action}`)).status, action).toBe(409);
    }
    // Its slot is free again.
    await createVoki(app, v, '2026-02-16T11:00:00Z');
  });

  it('PUT changes title, description, notes and email; a new time or length is overlap-checked', async () => {
    const v = await vokiClinic(app);
    const a = await createVoki(app, v, '2026-02-16T09:00:00Z');
    await createVoki(app, v, '2026-02-16T10:00:00Z', { customer_phone: '+5511988887777' });
    const edited = await voki(app, v, 'PUT', `/${a.id}`, {
      body: {
        appointment: {
          title: 'Retorno',
          description: 'Trazer exames',
          notes: 'Jejum',
          customer_email: 'c@x.io',
        },
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({
      title: 'Retorno',
      description: 'Trazer exames',
      notes: 'Jejum',
      customer_email: 'c@x.io',
      status: 'scheduled',
      scheduled_at: '2026-02-16T09:00:00Z',
    });
    // 90 minutes from 09:00 would run into the 10:00 appointment.
    const tooLong = await voki(app, v, 'PUT', `/${a.id}`, {
      body: { appointment: { duration_minutes: 90 } },
    });
    expect(tooLong.status).toBe(409);
    expect(tooLong.body.errors.detail).toBeTruthy();
    const longer = await voki(app, v, 'PUT', `/${a.id}`, { body: { appointment: { duration_minutes: 60 } } });
    expect(longer.status).toBe(200);
    expect(longer.body.data.duration_minutes).toBe(60);
    const moved = await voki(app, v, 'PUT', `/${a.id}`, {
      body: { appointment: { scheduled_at: '2026-02-16T14:00:00Z' } },
    });
    expect(moved.body.data).toMatchObject({ scheduled_at: '2026-02-16T14:00:00Z', duration_minutes: 60 });
    // Who it is for stays: the same name is accepted, another is refused.
    const same = await voki(app, v, 'PUT', `/${a.id}`, {
      body: { appointment: { customer_name: 'Carlos Ferreira' } },
    });
    expect(same.status).toBe(200);
    const other = await voki(app, v, 'PUT', `/${a.id}`, {
      body: { appointment: { customer_name: 'Outra Pessoa' } },
    });
    expect(other.status).toBe(422);
    expect(other.body.errors.customer_name).toHaveLength(1);
  });

  it('a longer duration_minutes holds the longer slot against other bookings', async () => {
    const v = await vokiClinic(app);
    await createVoki(app, v, '2026-02-16T09:00:00Z', { duration_minutes: 90 });
    const inside = await voki(app, v, 'POST', '', {
      body: vokiBody(v, '2026-02-16T10:00:00Z', { customer_phone: '+5511977776666' }),
    });
    expect(inside.status).toBe(409);
    expect(inside.body).toEqual({ errors: { detail: expect.any(String) } });
    const after = await voki(app, v, 'POST', '', {
      body: vokiBody(v, '2026-02-16T10:30:00Z', { customer_phone: '+5511977776666' }),
    });
    expect(after.status).toBe(201);
  });
});

describe('one booking core: the same appointments through every door', () => {
  it('a Voki booking is an ordinary appointment on /v1 (source manual) and in the webhooks; confirmation shows there', async () => {
    const v = await vokiClinic(app);
    const hook = await app.request('POST', '/v1/webhooks', {
      key: v.clinic.key,
      body: { url: 'https://pms.example.invalid/hooks' },
    });
    expect(hook.status).toBe(201);
    const a = await createVoki(app, v, '2026-02-16T09:00:00Z', { duration_minutes: 45 });
    const mivicall = await app.request('GET', `/v1/appointments/${a.id}`, { key: v.clinic.key });
    expect(mivicall.status).toBe(200);
    expect(mivicall.body).toMatchObject({
      id: a.id,
      source: 'manual',
      status: 'confirmed',
      professionalId: v.user.id,
      serviceTypeId: v.department.id,
      patientName: 'Carlos Ferreira',
      confirmation: null,
    });
    expect(Date.parse(mivicall.body.endsAt) - Date.parse(mivicall.body.startsAt)).toBe(45 * 60_000);

    await voki(app, v, 'POST', `/${a.id}/confirm`);
    const after = await app.request('GET', `/v1/appointments/${a.id}`, { key: v.clinic.key });
    expect(after.body.status).toBe('confirmed');
    expect(after.body.confirmation).toEqual({
      confirmedAt: expect.any(String),
      confirmedBy: `key:${v.clinic.keyId}`,
      channel: 'manual',
    });
    const events = await app.sql(
      'SELECT event_type, payload FROM webhook_deliveries WHERE tenant_id = ? ORDER BY created_at, rowid',
      v.clinic.tenantId,
    );
    expect(events.map((e) => e.event_type)).toEqual(['appointment.created', 'appointment.updated']);
    const confirmedEvent = JSON.parse(String(events[1]!.payload));
    expect(confirmedEvent.data.appointment.confirmation.confirmedBy).toBe(`key:${v.clinic.keyId}`);
    expect(confirmedEvent.data.changes).toHaveProperty('confirmedAt');
  });

  it('a /v1 booking is listed and handled by the Voki door, with one customer_id per phone', async () => {
    const v = await vokiClinic(app);
    const viaV1 = await app.request('POST', '/v1/appointments', {
      key: v.clinic.key,
      body: {
        professionalId: v.user.id,
        serviceTypeId: v.department.id,
        patientName: 'Maria Silva',
        patientPhone: '+351912345678',
        startsAt: '2026-02-16T09:00:00Z',
      },
    });
    expect(viaV1.status).toBe(201);
    const listed = await voki(app, v, 'GET', '');
    expect(listed.body.data).toHaveLength(1);
    const item = listed.body.data[0];
    expect(item).toMatchObject({
      id: viaV1.body.id,
      title: 'Suporte Técnico',
      status: 'scheduled',
      duration_minutes: 30,
      customer_name: 'Maria Silva',
      user_name: 'João Silva',
    });
    // The same phone booked through the Voki door is the same customer; customer_id alone books too.
    const again = await createVoki(app, v, '2026-02-17T09:00:00Z', {
      customer_name: 'Maria Silva',
      customer_phone: '+351 912 345 678',
    });
    expect(again.customer_id).toBe(item.customer_id);
    const byId = await voki(app, v, 'POST', '', {
      body: {
        appointment: {
          title: 'Controlo',
          scheduled_at: '2026-02-18T09:00:00Z',
          department_id: v.department.id,
          user_id: v.user.id,
          customer_id: item.customer_id,
        },
      },
    });
    expect(byId.status).toBe(201);
    expect(byId.body.data).toMatchObject({ customer_id: item.customer_id, customer_name: 'Maria Silva' });
    const other = await createVoki(app, v, '2026-02-19T09:00:00Z', { customer_phone: '+351912345679' });
    expect(other.customer_id).not.toBe(item.customer_id);

    const cancelled = await voki(app, v, 'POST', `/${viaV1.body.id}/cancel`, {
      body: { reason: 'Sem tempo' },
    });
    expect(cancelled.status).toBe(200);
    const v1 = await app.request('GET', `/v1/appointments/${viaV1.body.id}`, { key: v.clinic.key });
    expect(v1.body).toMatchObject({ status: 'cancelled', cancellationReason: 'Sem tempo' });
    const history = await app.request('GET', `/v1/appointments/${viaV1.body.id}/history`, {
      key: v.clinic.key,
    });
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['created', 'cancelled']);
  });
});

describe('retries and races', () => {
  it('the same Idempotency-Key replays the first answer byte for byte and books once', async () => {
    const v = await vokiClinic(app);
    const send = () =>
      voki(app, v, 'POST', '', {
        headers: { 'idempotency-key': 'voki-retry-1' },
        body: vokiBody(v, '2026-02-16T09:00:00Z'),
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const listed = await voki(app, v, 'GET', '');
    expect(listed.body.meta.total_count).toBe(1);
    // Another body under the same key is another request: refused, Ecto style.
    const reused = await voki(app, v, 'POST', '', {
      headers: { 'idempotency-key': 'voki-retry-1' },
      body: vokiBody(v, '2026-02-16T11:00:00Z'),
    });
    expect(reused.status).toBe(422);
    expect(reused.body.errors.idempotency_key).toHaveLength(1);
    // Actions take keys too.
    const cancel = () =>
      voki(app, v, 'POST', `/${first.body.data.id}/cancel`, {
        headers: { 'idempotency-key': 'voki-cancel-1' },
      });
    const c1 = await cancel();
    const c2 = await cancel();
    expect(c2.text).toBe(c1.text);
    expect(c2.headers.get('idempotent-replayed')).toBe('true');
  });

  it('50 parallel creates for one slot: exactly one 201, the rest 409', async () => {
    const v = await vokiClinic(app);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        voki(app, v, 'POST', '', {
          headers: { 'idempotency-key': `race-${i}` },
          body: vokiBody(v, '2026-02-16T15:00:00Z', {
            customer_name: `Paciente ${i}`,
            customer_phone: `+55119${String(80000000 + i)}`,
          }),
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of replies.filter((x) => x.status === 409))
      expect(Object.keys(r.body.errors)).toEqual(['detail']);
    const rows = await app.sql(
      'SELECT count(*) AS n FROM appointments WHERE tenant_id = ?',
      v.clinic.tenantId,
    );
    expect(rows[0]!.n).toBe(1);
  });
});

describe("a patient's rights reach what the Voki door stored", () => {
  it('export carries email, title and description; erasure clears them and unlinks the customer id', async () => {
    const v = await vokiClinic(app);
    const a = await createVoki(app, v, '2026-02-16T09:00:00Z', {
      title: 'Retorno',
      description: 'Tratamento de canal',
      customer_email: 'carlos@email.com',
    });
    const v1 = await app.request('GET', `/v1/appointments/${a.id}`, { key: v.clinic.key });
    const hash = v1.body.patientPhoneHash as string;
    const exported = await app.request('GET', `/v1/patients/${encodeURIComponent(hash)}/export`, {
      key: v.clinic.key,
    });
    expect(exported.status).toBe(200);
    expect(exported.body.appointments[0]).toMatchObject({
      patientEmail: 'carlos@email.com',
      title: 'Retorno',
      description: 'Tratamento de canal',
    });
    const erased = await app.request('POST', `/v1/patients/${encodeURIComponent(hash)}/erase`, {
      key: v.clinic.key,
    });
    expect(erased.status).toBeLessThan(300);
    const after = await voki(app, v, 'GET', `/${a.id}`);
    expect(after.body.data).toMatchObject({
      customer_email: null,
      description: null,
      title: 'Suporte Técnico',
    });
    expect(after.body.data.customer_id).not.toBe(a.customer_id);
    const again = await createVoki(app, v, '2026-02-17T09:00:00Z');
    expect(again.customer_id).not.toBe(a.customer_id);
    const rows = await app.sql(
      'SELECT patient_email, title, description, patient_id FROM appointments WHERE id = ?',
      a.id,
    );
    expect(rows[0]).toEqual({ patient_email: null, title: null, description: null, patient_id: null });
  });
});
