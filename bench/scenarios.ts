// The benchmark scenarios. A scenario names the route it drives, says whether this build serves it
// (from the OpenAPI document), and prepares the autocannon requests. A new one is one entry here.
import type { Request } from 'autocannon';
import { DAY, type Seeded, slotStart } from './seed.js';

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

export interface BenchContext {
  url: string;
  seeded: Seeded;
  doc: OpenApiDocument;
  /** Distinguishes this run's idempotency keys. */
  runId: string;
  headers: Record<string, string>;
}

/** One autocannon request; `setupRequest` may vary it per call (a function, not a worker file). */
export type BenchRequest = Omit<Request, 'setupRequest'> & { setupRequest?: (request: Request) => Request };

export interface Load {
  request: BenchRequest;
  /** Every answer must have this status (anything else is counted as an error). */
  expectStatus: number;
}

export interface Scenario {
  name: string;
  /** Operations (`METHOD /path` as in the OpenAPI document) the scenario needs. */
  needs: string[];
  prepare(ctx: BenchContext): Promise<Load>;
}

/** The operations a scenario needs that this build does not document; empty when it can run. */
export const missingOperations = (scenario: Scenario, doc: OpenApiDocument) =>
  scenario.needs.filter((op) => {
    const [method, path] = op.split(' ') as [string, string];
    return !doc.paths[path]?.[method.toLowerCase()];
  });

const json = { 'content-type': 'application/json' };

/**
 * Where PMS bookings go: half-hour slots from 100 days ahead (past the 90-day booking horizon the
 * availability reads stop at, and past the seeded calendar), the same empty days at every size.
 */
const firstFreeIndex = (seeded: Seeded) => {
  const day = Math.floor(Date.now() / DAY) * DAY + 100 * DAY;
  return Math.round((day - seeded.firstDay) / DAY) * 12;
};

function bookingBody(ctx: BenchContext, n: number) {
  const { seeded } = ctx;
  const professionals = seeded.professionalIds.length;
  const startsAt = slotStart(seeded.firstDay, firstFreeIndex(seeded) + Math.floor(n / professionals), 30);
  return JSON.stringify({
    professionalId: seeded.professionalIds[n % professionals],
    serviceTypeId: seeded.bookServiceId,
    patientName: `Paciente Bench ${n}`,
    patientPhone: `+35193${String(1_000_000 + (n % 9_000_000)).slice(-7)}`,
    startsAt: new Date(startsAt).toISOString(),
  });
}

/** Books slot after slot across the run: the creates of one run never collide. */
let bookings = 0;

export const SCENARIOS: Scenario[] = [
  {
    name: 'create appointment',
    needs: ['POST /v1/appointments'],
    async prepare(ctx) {
      return {
        expectStatus: 201,
        request: {
          method: 'POST',
          path: '/v1/appointments',
          headers: { ...ctx.headers, ...json },
          setupRequest: (request) => {
            const n = bookings++;
            return {
              ...request,
              headers: { ...request.headers, 'idempotency-key': `bench-${ctx.runId}-${n}` },
              body: bookingBody(ctx, n),
            };
          },
        },
      };
    },
  },
  {
    name: 'replay Idempotency-Key',
    needs: ['POST /v1/appointments'],
    async prepare(ctx) {
      const body = bookingBody(ctx, bookings++);
      const headers = { ...ctx.headers, ...json, 'idempotency-key': `bench-${ctx.runId}-replayed` };
      const first = await fetch(`${ctx.url}/v1/appointments`, { method: 'POST', headers, body });
      if (first.status !== 201) throw new Error(`replay setup: ${first.status} ${await first.text()}`);
      return { expectStatus: 201, request: { method: 'POST', path: '/v1/appointments', headers, body } };
    },
  },
  {
    name: 'get by id',
    needs: ['GET /v1/appointments/{id}'],
    async prepare(ctx) {
      const ids = ctx.seeded.sampleIds;
      let n = 0;
      return {
        expectStatus: 200,
        request: {
          method: 'GET',
          path: `/v1/appointments/${ids[0]}`,
          headers: ctx.headers,
          setupRequest: (request) => ({ ...request, path: `/v1/appointments/${ids[n++ % ids.length]}` }),
        },
      };
    },
  },
  {
    name: 'list a day',
    needs: ['GET /v1/appointments'],
    async prepare(ctx) {
      const { firstDay, days } = ctx.seeded;
      let n = 0;
      const path = () => {
        const day = firstDay + (n++ % days) * DAY;
        const from = new Date(day).toISOString();
        const to = new Date(day + DAY).toISOString();
        return `/v1/appointments?from=${from}&to=${to}&limit=200`;
      };
      return {
        expectStatus: 200,
        request: {
          method: 'GET',
          path: path(),
          headers: ctx.headers,
          setupRequest: (request) => ({ ...request, path: path() }),
        },
      };
    },
  },
  {
    name: 'availability 31 days',
    needs: ['GET /v1/availability', 'PUT /v1/professionals/{id}/schedule'],
    async prepare(ctx) {
      const { seeded } = ctx;
      const hours = [{ start: '08:00', end: '20:00' }];
      const weekly = {
        monday: hours,
        tuesday: hours,
        wednesday: hours,
        thursday: hours,
        friday: hours,
        saturday: [{ start: '09:00', end: '13:00' }],
      };
      for (const id of seeded.professionalIds) {
        const reply = await fetch(`${ctx.url}/v1/professionals/${id}/schedule`, {
          method: 'PUT',
          headers: { ...ctx.headers, ...json },
          body: JSON.stringify({ weekly }),
        });
        if (reply.status !== 200) throw new Error(`schedule setup: ${reply.status} ${await reply.text()}`);
      }
      // Any qualified professional, 31 days from a day in the next two weeks (inside the horizon).
      let n = 0;
      const path = () => {
        const from = Math.floor(Date.now() / DAY) * DAY + (1 + (n++ % 14)) * DAY;
        const query = new URLSearchParams({
          serviceTypeId: seeded.bookServiceId,
          from: new Date(from).toISOString(),
          to: new Date(from + 31 * DAY).toISOString(),
        });
        return `/v1/availability?${query}`;
      };
      return {
        expectStatus: 200,
        request: {
          method: 'GET',
          path: path(),
          headers: ctx.headers,
          setupRequest: (request) => ({ ...request, path: path() }),
        },
      };
    },
  },
  {
    name: 'voice: check_availability',
    needs: ['POST /v1/voice/integrations', 'PUT /v1/professionals/{id}/schedule'],
    async prepare(ctx) {
      const voice = await voiceLine(ctx);
      let n = 0;
      return {
        expectStatus: 200,
        request: {
          method: 'POST',
          path: voice.path,
          headers: voice.headers,
          setupRequest: (request) => ({
            ...request,
            body: voice.toolCall(n++, 'check_availability', {
              service: ctx.seeded.bookServiceId,
              professional: null,
              date: null,
              from: null,
              to: null,
              partOfDay: null,
            }),
          }),
        },
      };
    },
  },
  {
    name: 'voice: book_appointment',
    needs: ['POST /v1/voice/integrations', 'PUT /v1/professionals/{id}/schedule'],
    async prepare(ctx) {
      const voice = await voiceLine(ctx);
      // Professionals of its own, open round the clock, so every call books a free 15-minute slot
      // inside the booking horizon whatever the other scenarios took.
      const professionals: string[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await fetch(`${ctx.url}/v1/professionals`, {
          method: 'POST',
          headers: { ...ctx.headers, ...json },
          body: JSON.stringify({ name: `Dr. Voz ${ctx.runId} ${i}` }),
        });
        const { id } = (await created.json()) as { id: string };
        const day = [{ start: '00:00', end: '24:00' }];
        const weekly = Object.fromEntries(
          ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, day]),
        );
        await fetch(`${ctx.url}/v1/professionals/${id}/schedule`, {
          method: 'PUT',
          headers: { ...ctx.headers, ...json },
          body: JSON.stringify({ weekly }),
        });
        professionals.push(id);
      }
      const service = ctx.seeded.serviceIds.find((_, i) => i % 5 === 3) ?? ctx.seeded.bookServiceId;
      const firstSlot = Math.floor(Date.now() / DAY) * DAY + 2 * DAY;
      const args = (n: number) => ({
        service,
        startsAt: new Date(firstSlot + Math.floor(n / professionals.length) * 15 * 60_000).toISOString(),
        professional: professionals[n % professionals.length],
        patientName: `Paciente Voz ${n}`,
        patientPhone: null,
        notes: null,
      });
      const probe = await fetch(`${ctx.url}${voice.path}`, {
        method: 'POST',
        headers: voice.headers,
        body: voice.toolCall(0, 'book_appointment', args(0)),
      });
      const answer = await probe.text();
      if (probe.status !== 200 || !/confirmad|booked/i.test(answer)) {
        throw new Error(`voice booking setup: ${probe.status} ${answer.slice(0, 300)}`);
      }
      let n = 1;
      return {
        expectStatus: 200,
        request: {
          method: 'POST',
          path: voice.path,
          headers: voice.headers,
          setupRequest: (request) => {
            const i = n++;
            return { ...request, body: voice.toolCall(i, 'book_appointment', args(i)) };
          },
        },
      };
    },
  },
];

/** A Vapi integration of the clinic: its webhook path, auth header and a tool-call body builder. */
async function voiceLine(ctx: BenchContext) {
  const secret = `bench-secret-${ctx.runId}-0123456789`;
  const reply = await fetch(`${ctx.url}/v1/voice/integrations`, {
    method: 'POST',
    headers: { ...ctx.headers, ...json },
    body: JSON.stringify({ platform: 'vapi', credentials: { secret } }),
  });
  if (reply.status !== 201) throw new Error(`voice setup: ${reply.status} ${await reply.text()}`);
  const { webhookUrl } = (await reply.json()) as { webhookUrl: string };
  const runId = `${ctx.runId}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    path: new URL(webhookUrl).pathname,
    headers: { ...json, 'x-vapi-secret': secret },
    // 50 calls in parallel, each making many tool calls; every tool call has its own id.
    toolCall: (n: number, name: string, args: Record<string, unknown>) =>
      JSON.stringify({
        message: {
          type: 'tool-calls',
          call: {
            id: `bench-call-${runId}-${n % 50}`,
            customer: { number: `+35196${String(1_000_000 + (n % 50)).slice(-7)}` },
          },
          toolCallList: [{ id: `bench-tool-${runId}-${n}`, function: { name, arguments: args } }],
        },
      }),
  };
}
