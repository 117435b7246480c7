// Property-based fuzzing of every operation in the OpenAPI document (fast-check). Whatever arrives,
// the answer is a status the operation documents, errors come in the envelope with the request id,
// nothing is a 5xx, no raw phone number comes back, and the service keeps answering.
// FUZZ_RUNS=2000 npm test -- test/hostile for a deeper run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService } from '../support/factories.js';
import {
  describeRequest,
  type Fixtures,
  type OpenApiDocument,
  operationsOf,
  requestArbitrary,
} from '../support/openapi-fuzz.js';
import { formsIn, phoneForms } from '../support/phone-scan.js';
import type { Clinic, Reply, TestApp } from '../support/types.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const PHONES = ['+351912000111', '+351934560789', '+447911123456'];

// Loaded before the tests are collected: one test per documented operation.
const app: TestApp = await startTestApp();
const doc: OpenApiDocument = (await app.request('GET', '/openapi.json')).body;
const operations = operationsOf(doc);
let clinic: Clinic;
let fixtures: Fixtures;
const phoneTexts = PHONES.flatMap((p) => phoneForms(p, 'PT'));
let requests = 0;
let resets = 0;

beforeAll(async () => {
  clinic = await app.createClinic();
  const professionals = [
    await createProfessional(app, clinic),
    await createProfessional(app, clinic, { name: 'Dr. Rui' }),
  ];
  const services = [
    await createService(app, clinic),
    await createService(app, clinic, { durationMinutes: 45 }),
  ];
  const appointments: string[] = [];
  const hashes: string[] = [];
  for (const [i, phone] of PHONES.entries()) {
    const reply = await app.request('POST', '/v1/appointments', {
      key: clinic.key,
      body: appointmentBody(
        { professional: professionals[0]!, service: services[0]! },
        `2026-06-0${i + 1}T10:00:00Z`,
        {
          patientPhone: phone,
        },
      ),
    });
    expect(reply.status).toBe(201);
    appointments.push(reply.body.id);
    hashes.push(reply.body.patientPhoneHash);
  }
  const exception = await app.request('POST', `/v1/professionals/${professionals[1]!.id}/exceptions`, {
    key: clinic.key,
    body: { kind: 'holiday', date: '2026-12-25' },
  });
  fixtures = {
    key: clinic.key,
    ids: {
      professionals: professionals.map((p) => p.id),
      services: services.map((s) => s.id),
      appointments,
      exceptions: exception.status === 201 ? [exception.body.id] : [],
      patients: hashes,
    },
    phones: PHONES,
    dates: [
      '2026-06-10T09:00:00Z',
      '2026-06-10T10:30:00+01:00',
      '2026-07-01T08:15:00.000Z',
      '2026-03-01T00:00:00Z',
    ],
  };
});
afterAll(async () => {
  console.log(
    `fuzz: ${requests} hostile requests over ${operations.length} operations (${resets} connection resets retried)`,
  );
  await app.close();
});

const ENVELOPE_KEYS = ['error', 'errors', 'message', 'requestId'];

/** The Voki door (/api/v1) answers errors in Voki's words: `{"errors": {...}}` (src/voki/errors.ts). */
function vokiErrorBreach(reply: Reply): string | undefined {
  const body = reply.body ?? {};
  const text = reply.text.slice(0, 300);
  if (Object.keys(body).join() !== 'errors' || typeof body.errors !== 'object' || body.errors === null)
    return `not the Voki error shape: ${text}`;
  const values = Object.values(body.errors as Record<string, unknown>);
  if (reply.status === 422) {
    if (!values.every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string')))
      return `422 errors are not {field: [message]}: ${text}`;
  } else if (Object.keys(body.errors).join() !== 'detail' || typeof body.errors.detail !== 'string')
    return `errors is not {detail}: ${text}`;
  return undefined;
}

/** What is wrong with an answer, or undefined when it keeps the contract. */
function contractBreach(statuses: number[], reply: Reply, path = ''): string | undefined {
  const text = reply.text.slice(0, 300);
  if (reply.status >= 500) return `5xx: ${reply.status} ${text}`;
  // Oversized headers never reach an operation: the server refuses them for every route (README).
  const transport = reply.status === 431 && reply.body?.error === 'headers_too_large';
  if (!statuses.includes(reply.status) && !transport) return `undocumented status ${reply.status}: ${text}`;
  const phones = formsIn(reply.text, phoneTexts);
  if (phones.length) return `a raw phone number (${phones[0]}) in the answer`;
  if (reply.status === 204) return undefined;
  if (!reply.headers.get('content-type')?.includes('application/json')) return `not JSON: ${text}`;
  if (reply.status < 400) return undefined;
  // The transport's refusals come before any door, in the service-wide envelope (README).
  if (path.startsWith('/api/v1/')) return transport ? undefined : vokiErrorBreach(reply);
  const body = reply.body ?? {};
  const keys = Object.keys(body).filter((k) => !(reply.status === 429 && k === 'retryAfter'));
  if (keys.sort().join() !== ENVELOPE_KEYS.join()) return `not the error envelope: ${text}`;
  if (
    typeof body.error !== 'string' ||
    typeof body.message !== 'string' ||
    typeof body.requestId !== 'string'
  )
    return `envelope fields of the wrong type: ${text}`;
  const fieldErrors = Array.isArray(body.errors) ? body.errors : [null];
  if (fieldErrors.some((e: any) => typeof e?.path !== 'string' || typeof e?.message !== 'string'))
    return `errors[] entries are not {path, message}: ${text}`;
  // A replay repeats the first answer byte for byte, with the first request's id in the body.
  const replayed = reply.headers.get('idempotent-replayed') === 'true';
  if (!replayed && reply.headers.get('x-request-id') !== body.requestId)
    return 'X-Request-Id differs from requestId';
  return undefined;
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it('has operations to fuzz', () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s answers hostile input within its contract',
    async (label, op) => {
      // fc.check, not fc.assert: the report names the shrunk request without its 70 kB strings.
      const result = await fc.check(
        fc.asyncProperty(requestArbitrary(doc, op, fixtures), async (req) => {
          requests++;
          const send = () =>
            app.request(req.method, req.path, { key: null, headers: req.headers, body: req.body });
          let reply: Reply;
          try {
            reply = await send();
          } catch {
            // @hono/node-server sometimes resets the connection under an answer given before the body
            // was read (a bare Hono app shows it too); a client retries once, and so do we.
            resets++;
            try {
              reply = await send();
            } catch (error) {
              const cause = (error as { cause?: unknown }).cause;
              throw new Error(
                `no answer twice (${error} ${cause ?? ''})\n  request: ${describeRequest(req)}`,
              );
            }
          }
          const problem = contractBreach(op.statuses, reply, op.path);
          if (problem) throw new Error(`${problem}\n  request: ${describeRequest(req)}`);
        }),
        { numRuns: RUNS },
      );
      if (result.failed) {
        const cause =
          result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        throw new Error(
          `${label} (seed ${result.seed}, after ${result.numRuns} runs): ${cause.slice(0, 2_000)}`,
        );
      }
      const health = await app.request('GET', '/health');
      expect(health.status, `the service stopped answering after ${label}`).toBe(200);
    },
  );
});
