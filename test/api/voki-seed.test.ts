// Voki's reference examples, replayed over HTTP: each request as the reference writes it (with this
// clinic's ids), each answer with every field of the reference's answer, of the same type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';
import {
  CREATED_TYPES,
  createVoki,
  expectShape,
  LIST_ITEM_TYPES,
  type VokiClinic,
  voki,
  vokiClinic,
} from '../support/voki.js';

let app: TestApp;
let v: VokiClinic;
let listed: Record<string, any>;
beforeAll(async () => {
  // The list example's appointment was inserted on 2026-02-15 at 10:00 UTC.
  app = await startTestApp({ now: Date.parse('2026-02-15T10:00:00Z') });
  v = await vokiClinic(app);
  listed = await createVoki(app, v, '2026-02-20T10:00:00Z', {
    title: 'Consulta de acompanhamento',
    description: 'Retorno sobre tratamento iniciado em janeiro',
    duration_minutes: 30,
    customer_name: 'Carlos Ferreira',
    customer_email: 'carlos@email.com',
    customer_phone: '+5511999998888',
  });
});
afterAll(() => app.close());

describe("Voki's examples", () => {
  it('GET /api/v1/appointments?date_from=2026-02-18&status=scheduled: the list example', async () => {
    const reply = await voki(app, v, 'GET', '', { query: { date_from: '2026-02-18', status: 'scheduled' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('application/json');
    expect(Object.keys(reply.body).sort()).toEqual(['data', 'meta']);
    expect(reply.body.meta).toEqual({ current_page: 1, page_size: 20, total_pages: 1, total_count: 1 });
    const [item] = reply.body.data;
    expectShape(item, LIST_ITEM_TYPES);
    expect(item).toMatchObject({
      id: listed.id,
      title: 'Consulta de acompanhamento',
      description: 'Retorno sobre tratamento iniciado em janeiro',
      status: 'scheduled',
      scheduled_at: '2026-02-20T10:00:00Z',
      duration_minutes: 30,
      department_id: v.department.id,
      department_name: 'Suporte Técnico',
      user_id: v.user.id,
      user_name: 'João Silva',
      customer_name: 'Carlos Ferreira',
      customer_email: 'carlos@email.com',
      notes: null,
      inserted_at: '2026-02-15T10:00:00Z',
      updated_at: '2026-02-15T10:00:00Z',
    });
    // Without appointments:read_phone the number is masked (its country code and last digits).
    expect(item.customer_phone).not.toContain('999998888');
    expect(item.customer_phone).toMatch(/^\+55 .*888$/);
  });

  it('POST /api/v1/appointments: the create example (no user_id: the first free agent)', async () => {
    app.setNow(Date.parse('2026-02-18T16:00:00Z'));
    const conflictsBefore = await voki(app, v, 'GET', '/conflicts', {
      query: { user_id: v.user.id, scheduled_at: '2026-02-25T14:00:00Z', duration_minutes: 45 },
    });
    expect(conflictsBefore.status).toBe(200);
    expect(conflictsBefore.body).toEqual({ data: { has_conflicts: false, conflicts: [] } });

    const reply = await voki(app, v, 'POST', '', {
      headers: { 'content-type': 'application/json' },
      body: {
        appointment: {
          title: 'Presentation meeting',
          scheduled_at: '2026-02-25T14:00:00Z',
          duration_minutes: 45,
          department_id: v.department.id,
          customer_name: 'Roberto Lima',
          customer_email: 'roberto@email.com',
          customer_phone: '+5511966665544',
        },
      },
    });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body)).toEqual(['data']);
    expectShape(reply.body.data, CREATED_TYPES);
    expect(reply.body.data).toMatchObject({
      title: 'Presentation meeting',
      status: 'scheduled',
      scheduled_at: '2026-02-25T14:00:00Z',
      duration_minutes: 45,
      department_id: v.department.id,
      department_name: 'Suporte Técnico',
      user_id: v.user.id,
      user_name: 'João Silva',
      customer_name: 'Roberto Lima',
      customer_email: 'roberto@email.com',
      inserted_at: '2026-02-18T16:00:00Z',
      updated_at: '2026-02-18T16:00:00Z',
    });
    expect(reply.headers.get('location')).toBe(`/api/v1/appointments/${reply.body.data.id}`);

    // The conflicts example now finds it: 45 minutes from 14:00 overlap 14:30.
    const conflicts = await voki(app, v, 'GET', '/conflicts', {
      query: { user_id: v.user.id, scheduled_at: '2026-02-25T14:30:00Z' },
    });
    expect(conflicts.body.data.has_conflicts).toBe(true);
    expect(conflicts.body.data.conflicts.map((a: { id: string }) => a.id)).toEqual([reply.body.data.id]);
    expectShape(conflicts.body.data.conflicts[0], CREATED_TYPES);
    const excluded = await voki(app, v, 'GET', '/conflicts', {
      query: {
        user_id: v.user.id,
        scheduled_at: '2026-02-25T14:30:00Z',
        exclude_id: reply.body.data.id,
      },
    });
    expect(excluded.body.data).toEqual({ has_conflicts: false, conflicts: [] });
  });

  it('GET /api/v1/appointments/:id answers {data} with every field', async () => {
    const reply = await voki(app, v, 'GET', `/${listed.id}`);
    expect(reply.status).toBe(200);
    expectShape(reply.body.data, LIST_ITEM_TYPES);
    expect(reply.body.data.customer_id).toBe(listed.customer_id);
  });

  it('POST …/confirm, then …/cancel with the example reason', async () => {
    const confirmed = await voki(app, v, 'POST', `/${listed.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expectShape(confirmed.body.data, LIST_ITEM_TYPES);
    expect(confirmed.body.data.status).toBe('confirmed');
    expect(confirmed.body.data.confirmed_at).toBe('2026-02-18T16:00:00Z');

    const cancelled = await voki(app, v, 'POST', `/${listed.id}/cancel`, {
      headers: { 'content-type': 'application/json' },
      body: { reason: 'Customer requested rescheduling' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.status).toBe('cancelled');
    expect(cancelled.body.data.cancellation_reason).toBe('Customer requested rescheduling');
  });

  it('POST …/complete and …/no-show', async () => {
    const a = await createVoki(app, v, '2026-02-19T09:00:00Z');
    const b = await createVoki(app, v, '2026-02-19T10:00:00Z');
    const completed = await voki(app, v, 'POST', `/${a.id}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body.data.status).toBe('completed');
    app.setNow(Date.parse('2026-02-19T10:20:00Z'));
    const noShow = await voki(app, v, 'POST', `/${b.id}/no-show`);
    expect(noShow.status).toBe(200);
    expect(noShow.body.data.status).toBe('no_show');
    expectShape(noShow.body.data, CREATED_TYPES);
  });
});
