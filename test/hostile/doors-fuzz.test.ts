// Hostile input at the doors the OpenAPI fuzzer does not reach: voice platform webhooks (past their
// authentication, so the parsers and tools see the garbage) and the public booking page's endpoints.
// Every answer must be a documented kind (2xx or a 4xx in the envelope), never a 5xx.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { bookingClinic } from '../support/booking.js';
import { hostileString, hostileValue } from '../support/openapi-fuzz.js';
import type { Reply, TestApp } from '../support/types.js';

let app: TestApp;
let resets = 0;
beforeAll(async () => {
  const started = await startTestApp();
  // A connection reset (no answer at all) is retried once, as the OpenAPI fuzzer does: it is the HTTP
  // layer's, not ours (test/hostile/http-layer.test.ts). Every status still counts.
  app = {
    ...started,
    request: async (...args) => {
      try {
        return await started.request(...args);
      } catch {
        resets++;
        return started.request(...args);
      }
    },
  };
});
afterAll(async () => {
  if (resets) console.log(`doors fuzz: ${resets} connection resets retried`);
  await app.close();
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const TOOL_NAMES = [
  'list_services',
  'check_availability',
  'book_appointment',
  'find_appointments',
  'cancel_appointment',
  'reschedule_appointment',
  'clinic_info',
  'take_message',
  'transfer_to_human',
  'report_symptoms',
];
const toolName = () => fc.oneof(fc.constantFrom(...TOOL_NAMES), hostileString());
const args = () =>
  fc.oneof(
    hostileValue(),
    fc.record(
      {
        service: hostileValue(),
        startsAt: hostileValue(),
        patientName: hostileValue(),
        patientPhone: hostileValue(),
        date: hostileValue(),
        appointmentId: hostileValue(),
        newStartsAt: hostileValue(),
      },
      { requiredKeys: [] },
    ),
  );
/** Raw text, or JSON of a hostile value, or JSON of a plausible shape with hostile insides. */
const body = (shaped: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    hostileValue().map((v) => JSON.stringify(v) ?? 'null'),
    shaped.map((v) => JSON.stringify(v) ?? 'null'),
  );

const encodable = (text: string) => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

const shortHostile = () => hostileString().map((s) => s.slice(0, 1000));

function keepsContract(reply: Reply, what: string) {
  expect(reply.status, `${what}: ${reply.status} ${reply.text.slice(0, 200)}`).toBeLessThan(500);
  if (reply.status >= 400) {
    expect(reply.body, what).toMatchObject({
      error: expect.any(String),
      message: expect.any(String),
      requestId: expect.any(String),
    });
  }
}

describe('voice webhooks survive hostile payloads past their authentication', () => {
  it('Vapi', async () => {
    const secret = 'fuzz-vapi-secret-0123456789-0123456789';
    const v = await app.request('POST', '/v1/voice/integrations', {
      key: (await app.createClinic()).key,
      body: { platform: 'vapi', credentials: { secret } },
    });
    const path = new URL(v.body.webhookUrl).pathname;
    const message = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('tool-calls', 'end-of-call-report', 'status-update', 'assistant-request'),
          hostileString(),
        ),
        call: fc.oneof(
          hostileValue(),
          fc.record({ id: hostileValue(), customer: fc.record({ number: hostileValue() }) }),
        ),
        toolCallList: fc.oneof(
          hostileValue(),
          fc.array(
            fc.record({ id: hostileValue(), function: fc.record({ name: toolName(), arguments: args() }) }),
            { maxLength: 3 },
          ),
        ),
        artifact: hostileValue(),
        startedAt: hostileValue(),
        endedAt: hostileValue(),
        status: hostileValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body(fc.record({ message })), async (raw) => {
        keepsContract(
          await app.request('POST', path, {
            body: raw,
            headers: { 'content-type': 'application/json', 'x-vapi-secret': secret },
          }),
          raw.slice(0, 120),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('ElevenLabs server tools', async () => {
    const toolSecret = 'fuzz-eleven-secret-0123456789-0123456789';
    const v = await app.request('POST', '/v1/voice/integrations', {
      key: (await app.createClinic()).key,
      body: { platform: 'elevenlabs', credentials: { toolSecret } },
    });
    await fc.assert(
      fc.asyncProperty(
        // The name travels in the URL path: only names a URL can carry (a lone surrogate cannot).
        toolName().filter(encodable),
        body(
          fc.record(
            { caller_id: hostileValue(), conversation_id: hostileValue(), service: hostileValue() },
            { requiredKeys: [] },
          ),
        ),
        async (name, raw) => {
          const reply = await app.request(
            'POST',
            `${new URL(v.body.toolsUrl).pathname}/${encodeURIComponent(name)}`,
            {
              body: raw,
              headers: { 'content-type': 'application/json', 'x-agendai-secret': toolSecret },
            },
          );
          keepsContract(reply, `${name} ${raw.slice(0, 120)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('OpenAI /tools', async () => {
    const toolSecret = 'fuzz-openai-secret-0123456789-0123456789';
    const v = await app.request('POST', '/v1/voice/integrations', {
      key: (await app.createClinic()).key,
      body: { platform: 'openai', credentials: { apiKey: 'sk-fuzz-0123456789', toolSecret } },
    });
    const call = fc.record(
      {
        id: hostileValue(),
        call_id: hostileValue(),
        type: fc.constantFrom('function', 'function_call'),
        name: toolName(),
        arguments: args(),
        function: fc.record({ name: toolName(), arguments: args() }),
      },
      { requiredKeys: [] },
    );
    const shaped = fc.oneof(
      fc.record({ tool_calls: fc.array(call, { maxLength: 3 }) }),
      fc.array(call, { maxLength: 3 }),
      fc.record({ output: fc.array(call, { maxLength: 3 }) }),
      call,
    );
    await fc.assert(
      fc.asyncProperty(body(shaped), hostileString(), async (raw, caller) => {
        const reply = await app.request('POST', new URL(v.body.toolsUrl).pathname, {
          body: raw,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${toolSecret}`,
            'x-agendai-caller': caller.slice(0, 200).replace(/[^\x20-\x7e]/g, ''),
          },
        });
        keepsContract(reply, raw.slice(0, 120));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the booking page survives hostile input', () => {
  it('slots and booking endpoints', async () => {
    const b = await bookingClinic(app);
    const shaped = fc.record(
      {
        serviceTypeId: fc.oneof(fc.constant(b.consulta.id), hostileValue()),
        startsAt: hostileValue(),
        patientName: hostileValue(),
        patientPhone: hostileValue(),
        notes: hostileValue(),
        website: hostileValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      // Query strings stay under the HTTP layer's own limits (test/hostile/http-layer.test.ts covers those).
      fc.asyncProperty(body(shaped), shortHostile(), shortHostile(), async (raw, service, date) => {
        keepsContract(
          await app.request('POST', `/booking/${b.slug}/api/appointments`, {
            body: raw,
            headers: { 'content-type': 'application/json' },
          }),
          raw.slice(0, 120),
        );
        keepsContract(
          await app.request('GET', `/booking/${b.slug}/api/slots`, {
            query: { serviceTypeId: service, date },
          }),
          `slots ${date}`,
        );
      }),
      { numRuns: RUNS },
    );
  });
});
