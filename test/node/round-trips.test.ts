// The round-trip budget: how many times one request waits on its database (test/support/store-calls.ts
// says what counts). Every trip is sequential, so were the database remote each one would add the
// network's latency to what a caller (a patient on the phone) waits for. A change that adds a trip
// fails here; a change that removes one lowers the budget.
// Node only: on Workers the app runs inside the clinic's Durable Object, next to its SQLite, so there
// is no database trip to count; what a Workers request waits on is the directory lookup (none once
// cached) and the one hop to the object, which test/workers/clinic-objects.test.ts budgets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService } from '../support/factories.js';
import type { Reply, TestApp } from '../support/types.js';
import { VAPI_SECRET, vapiCaller } from '../support/vapi.js';
import { voiceClinic } from '../support/voice.js';

/** Trips per request, at most. */
const BUDGET = {
  auth: 1,
  createAppointment: 3,
  getAppointment: 2,
  dayList: 2,
  availability7Days: 5,
  voiceCheck: 3,
  voiceBook: 7,
  voiceRefusedWithAlternatives: 11,
  mcpBook: 10,
};

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ countTrips: true });
});
afterAll(() => app.close());

/** The trips a caller waits for, then those of the work its request left for after the answer. */
async function tripsOf(send: () => Promise<Reply | string>) {
  await app.runAfterAnswer();
  const before = app.trips();
  const reply = await send();
  const answered = app.trips();
  await app.runAfterAnswer();
  const log = app.tripLog();
  return {
    trips: answered - before,
    after: app.trips() - answered,
    reply,
    log: [...log.slice(before, answered), ...log.slice(answered).map((l) => `after the answer: ${l}`)],
  };
}

describe('round trips per request', () => {
  it('stays within the budget on the REST door and the voice door', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const key = v.clinic.key;
    const measured: Record<string, number> = {};
    const afterwards: Record<string, number> = {};
    const logs: Record<string, string[]> = {};
    const measure = async (name: keyof typeof BUDGET, send: () => Promise<Reply | string>) => {
      const { trips, after, reply, log } = await tripsOf(send);
      measured[name] = trips;
      afterwards[name] = after;
      logs[name] = log;
      return reply;
    };

    // Auth alone: a request refused by validation after the key is checked.
    const refused = (await measure('auth', () =>
      app.request('GET', '/v1/availability', { key, query: { professionalId: 'nope' } }),
    )) as Reply;
    expect(refused.status).toBe(422);

    const created = (await measure('createAppointment', () =>
      app.request('POST', '/v1/appointments', {
        key,
        body: {
          professionalId: v.ana.id,
          serviceTypeId: v.consulta.id,
          patientName: 'Maria Silva',
          patientPhone: '+351912345678',
          startsAt: '2026-03-04T10:00:00Z',
        },
      }),
    )) as Reply;
    expect(created.status).toBe(201);

    const one = (await measure('getAppointment', () =>
      app.request('GET', `/v1/appointments/${created.body.id}`, { key }),
    )) as Reply;
    expect(one.status).toBe(200);

    const day = (await measure('dayList', () =>
      app.request('GET', '/v1/appointments', { key, query: { date: '2026-03-04' } }),
    )) as Reply;
    expect(day.status).toBe(200);
    expect(day.body.items).toHaveLength(1);

    const week = (await measure('availability7Days', () =>
      app.request('GET', '/v1/availability', {
        key,
        query: { serviceTypeId: v.consulta.id, from: '2026-03-02', to: '2026-03-08' },
      }),
    )) as Reply;
    expect(week.status).toBe(200);

    const call = vapiCaller(app, v.path, '+351912345679', 'call-budget');
    // The call's first request opens its session; measured are the tool calls that follow.
    await call('list_services');
    const check = await measure('voiceCheck', () =>
      call('check_availability', { service: 'consulta', date: '2026-03-03' }),
    );
    expect(check).toMatch(/^Há vagas/);
    const booked = await measure('voiceBook', () =>
      call('book_appointment', {
        service: 'Higiene oral',
        startsAt: '2026-03-03T10:00',
        patientName: 'Ana Lima',
      }),
    );
    expect(booked).toMatch(/^Marcação confirmada/);
    const other = vapiCaller(app, v.path, '+351961234567', 'call-budget-2');
    await other('list_services');
    const taken = await measure('voiceRefusedWithAlternatives', () =>
      other('book_appointment', {
        service: 'Higiene oral',
        startsAt: '2026-03-03T10:00',
        patientName: 'Bruno',
      }),
    );
    expect(taken).toMatch(/^Essa hora já não está livre/);

    // The same booking through the MCP door, as one raw tools/call (stateless, JSON answer).
    const mcp = (await measure('mcpBook', () =>
      app.request('POST', new URL(v.integration.mcpUrl).pathname, {
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
          'x-vapi-secret': VAPI_SECRET,
          'x-call-id': 'call-budget-mcp',
          'x-agendai-caller': '+351931234567',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'book_appointment',
            arguments: { service: 'Higiene oral', startsAt: '2026-03-03T14:00', patientName: 'Carla' },
          },
        }),
      }),
    )) as Reply;
    expect(mcp.status).toBe(200);
    expect(mcp.text).toMatch(/Marcação confirmada/);

    if (process.env.TRIPS_LOG) console.log(JSON.stringify({ measured, afterwards, logs }, null, 1));
    // On failure the message lists what each trip ran.
    for (const [name, trips] of Object.entries(measured)) {
      const budget = BUDGET[name as keyof typeof BUDGET];
      expect({ name, trips, log: trips > budget ? logs[name] : [] }).toEqual({
        name,
        trips: Math.min(trips, budget),
        log: [],
      });
    }
  });

  it("records a key's last use after the answer, not before it", async () => {
    const clinic = await app.createClinic();
    const lastUsed = async () =>
      (await app.sql('SELECT last_used_at AS at FROM api_keys WHERE id = ?', clinic.keyId))[0]!.at;
    expect(await lastUsed()).toBeNull();
    const { trips, after, reply } = await tripsOf(() =>
      app.request('GET', '/v1/appointments', { key: clinic.key, query: { date: '2026-03-04' } }),
    );
    expect((reply as Reply).status).toBe(200);
    // The key and the list; the touch (once a minute per key) follows the answer.
    expect({ trips, after }).toEqual({ trips: 2, after: 1 });
    expect(await lastUsed()).toBe(app.now());
  });

  it('starts a webhook delivery run only after a write that queued an event', async () => {
    const clinic = await app.createClinic();
    // The sandbox: its deliveries are recorded as simulated, so the run sends nothing anywhere.
    const { key } = await app.createKey(clinic.tenantId, ['*'], { mode: 'test' });
    const hook = await app.request('POST', '/v1/webhooks', {
      key,
      body: { url: 'https://pms.example.com/hooks', events: ['appointment.created'] },
    });
    expect(hook.status).toBe(201);
    const professional = await createProfessional(app, { ...clinic, key });
    const service = await createService(app, { ...clinic, key });
    const book = (startsAt: string) =>
      tripsOf(() =>
        app.request('POST', '/v1/appointments', {
          key,
          body: appointmentBody({ professional, service }, startsAt),
        }),
      );
    const queued = await book('2026-03-04T10:00:00Z');
    expect((queued.reply as Reply).status).toBe(201);
    expect(queued.after).toBeGreaterThan(0);
    const deliveries = await app.request('GET', `/v1/webhooks/${hook.body.id}/deliveries`, { key });
    expect(deliveries.body.items.map((d: { status: string }) => d.status)).toEqual(['simulated']);
    // Refused (the slot is taken): nothing queued, no run.
    const refused = await book('2026-03-04T10:00:00Z');
    expect((refused.reply as Reply).status).toBe(409);
    expect(refused.after).toBe(0);
  });
});
