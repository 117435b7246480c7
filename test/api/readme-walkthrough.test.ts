// The README's "Walk-through: the PMS flow with curl", step by step, through a client typed from the
// app's own OpenAPI document (openapi-fetch + test/support/openapi-types.ts). Each answer is read
// through its documented type: a field the document does not promise, or a route it does not list,
// fails `npm run typecheck` before it fails here. On Node it talks to the real HTTP server.
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { paths } from '../support/openapi-types.js';
import type { Clinic, TestApp } from '../support/types.js';

let app: TestApp;
let clinic: Clinic;
let api: ReturnType<typeof createClient<paths>>;

/** Inside workerd there is no socket: the harness carries the client's requests to the app. */
const throughHarness = async (request: Request) => {
  const url = new URL(request.url);
  const body = request.body ? await request.text() : undefined;
  const reply = await app.request(request.method, `${url.pathname}${url.search}`, {
    key: null,
    headers: Object.fromEntries(request.headers),
    body,
  });
  return new Response(reply.status === 204 ? null : reply.text, {
    status: reply.status,
    headers: reply.headers,
  });
};

beforeAll(async () => {
  app = await startTestApp();
  // Step 1's `npm run cli -- tenants create` (the CLI itself: test/node/cli.test.ts).
  clinic = await app.createClinic({ name: 'Clínica Sorriso', timezone: 'Europe/Lisbon', country: 'PT' });
  api = createClient<paths>({
    baseUrl: app.baseUrl ?? 'http://agendai.test',
    headers: { Authorization: `Bearer ${clinic.key}` },
    ...(app.baseUrl ? {} : { fetch: throughHarness }),
  });
});
afterAll(() => app.close());

const day = (offsetDays: number) => new Date(app.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('README walk-through, through the typed client', () => {
  let professionalId: string;
  let serviceId: string;
  let booked: paths['/v1/appointments']['post']['responses'][201]['content']['application/json'];

  it('1. the clinic of the key', async () => {
    const { data, response } = await api.GET('/v1/tenants/me');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ id: clinic.tenantId, name: 'Clínica Sorriso', country: 'PT' });
    expect(data!.config.timezone).toBe('Europe/Lisbon');
  });

  it('2. a professional and a service', async () => {
    const professional = await api.POST('/v1/professionals', {
      body: { name: 'Dra. Ana Costa', specialty: 'Ortodontia' },
    });
    expect(professional.response.status).toBe(201);
    expect(professional.data).toMatchObject({
      name: 'Dra. Ana Costa',
      specialty: 'Ortodontia',
      active: true,
    });
    professionalId = professional.data!.id;

    const service = await api.POST('/v1/services', {
      body: { name: 'Consulta de rotina', durationMinutes: 30, priceCents: 4500 },
    });
    expect(service.response.status).toBe(201);
    expect(service.data).toMatchObject({ name: 'Consulta de rotina', durationMinutes: 30, priceCents: 4500 });
    serviceId = service.data!.id;
  });

  const book = () =>
    api.POST('/v1/appointments', {
      params: { header: { 'idempotency-key': 'pms-create-1001' } },
      body: {
        professionalId,
        serviceTypeId: serviceId,
        patientName: 'Maria Silva',
        patientPhone: '+351912345678',
        startsAt: `${day(1)}T10:00:00+00:00`,
      },
    });

  it('3. book with an Idempotency-Key', async () => {
    const { data, error, response } = await book();
    expect(error).toBeUndefined();
    expect(response.status).toBe(201);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    booked = data!;
    expect(booked).toMatchObject({
      professionalId,
      serviceTypeId: serviceId,
      patientName: 'Maria Silva',
      status: 'confirmed',
      source: 'manual',
      patientPhoneHash: expect.stringMatching(/^v1:[0-9a-f]{64}$/),
    });
    expect(Date.parse(booked.startsAt)).toBe(Date.parse(`${day(1)}T10:00:00Z`));
    expect(Date.parse(booked.endsAt) - Date.parse(booked.startsAt)).toBe(30 * 60_000);
    expect(response.headers.get('location')).toBe(`/v1/appointments/${booked.id}`);
    // Never the number itself.
    expect(JSON.stringify(booked)).not.toContain('912345678');
  });

  const tomorrow = () =>
    api.GET('/v1/appointments', {
      params: { query: { from: `${day(1)}T00:00:00Z`, to: `${day(2)}T00:00:00Z` } },
    });

  it("4. tomorrow's appointments", async () => {
    const { data, response } = await tomorrow();
    expect(response.status).toBe(200);
    expect(data!.items).toEqual([booked]);
    expect(data!.nextCursor).toBeNull();
  });

  it('5. a replay with the same key: the same 201 and body, still one appointment', async () => {
    const { data, response } = await book();
    expect(response.status).toBe(201);
    expect(response.headers.get('idempotent-replayed')).toBe('true');
    expect(data).toEqual(booked);
    expect((await tomorrow()).data!.items).toHaveLength(1);
  });

  it('answers an error in the documented envelope, with a documented code', async () => {
    const { error, response } = await api.GET('/v1/appointments/{id}', {
      params: { path: { id: crypto.randomUUID() } },
    });
    expect(response.status).toBe(404);
    // `error.error` is typed as the union of the service's codes.
    const code: 'appointment_not_found' | 'not_found' | undefined =
      error?.error === 'appointment_not_found' || error?.error === 'not_found' ? error.error : undefined;
    expect(code).toBe('appointment_not_found');
    expect(error).toMatchObject({ message: expect.any(String), requestId: expect.any(String), errors: [] });
  });
});
