// take_message and GET /v1/callback-requests: a caller's message is stored once per tool call (a
// retry, even several at once, replays the first answer), queued for the PMS as a webhook event in
// the same unit, and listed for the clinic with the number masked unless the key may read phones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { DEFAULT_NOW } from '../support/http.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const SECRET = 'vapi-shared-secret-0123456789-0123456789';
const CALLER = '+351912345678';

const takeMessage = (callId: string, toolCallId: string, args: unknown, caller: string | null = CALLER) => ({
  message: {
    type: 'tool-calls',
    call: {
      id: callId,
      type: caller ? 'inboundPhoneCall' : 'webCall',
      ...(caller ? { customer: { number: caller } } : {}),
    },
    phoneNumber: { number: '+351210000000' },
    toolCallList: [{ id: toolCallId, type: 'function', function: { name: 'take_message', arguments: args } }],
  },
});

async function send(path: string, body: unknown) {
  const reply = await app.request('POST', path, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
  });
  expect(reply.status).toBe(200);
  return reply.body.results[0].result as string;
}

async function clinicWithHook() {
  app.setNow(DEFAULT_NOW);
  const v = await voiceClinic(app, 'vapi', { secret: SECRET });
  const hook = await app.request('POST', '/v1/webhooks', {
    key: v.clinic.key,
    body: { url: 'https://pms.example.invalid/hooks', events: ['callback_request.created'] },
  });
  expect(hook.status).toBe(201);
  return { ...v, hookId: hook.body.id as string };
}

const list = (key: string, query: Record<string, string | number> = {}) =>
  app.request('GET', '/v1/callback-requests', { key, query });

const ARGS = {
  callerName: 'Maria Silva',
  reason: 'Quer saber se o seguro cobre o implante',
  urgency: 'urgent',
};

describe('take_message', () => {
  it('stores the message with the caller ID as hash, queues callback_request.created, and lists it', async () => {
    const v = await clinicWithHook();
    expect(await send(v.path, takeMessage('call-msg', 'tc-1', ARGS))).toBe(
      'Mensagem registada. A clínica vai ligar-lhe de volta logo que possível.',
    );
    const page = await list(v.clinic.key);
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items).toHaveLength(1);
    const [request] = page.body.items;
    expect(request).toMatchObject({
      callerName: 'Maria Silva',
      reason: 'Quer saber se o seguro cobre o implante',
      urgency: 'urgent',
      phoneMasked: '+351 ••• ••• 678',
      createdAt: '2026-03-02T09:00:00+00:00',
    });
    expect(request).not.toHaveProperty('phone');
    // The hash is the patient handle every door uses (the caller's own, as on the call record).
    const calls = (await app.request('GET', '/v1/calls', { key: v.clinic.key })).body.items;
    expect(request.phoneHash).toBe(calls[0].fromNumberHash);
    expect(request.callId).toBe(calls[0].id);
    expect(calls[0].outcome).toBe('message_taken');
    // No raw number in the store.
    const stored = await app.sql('SELECT * FROM callback_requests WHERE id = ?', request.id);
    expect(JSON.stringify(stored)).not.toContain('912345678');

    // The PMS hears of it: one delivery in the outbox, the same view inside.
    const deliveries = await app.request('GET', `/v1/webhooks/${v.hookId}/deliveries`, { key: v.clinic.key });
    expect(deliveries.body.items.map((d: { eventType: string }) => d.eventType)).toEqual([
      'callback_request.created',
    ]);
    const [outbox] = await app.sql(
      "SELECT payload FROM webhook_deliveries WHERE event_type = 'callback_request.created' AND tenant_id = ?",
      v.clinic.tenantId,
    );
    const event = JSON.parse(String(outbox!.payload));
    expect(event).toMatchObject({ type: 'callback_request.created', tenantId: v.clinic.tenantId });
    expect(event.data.callbackRequest).toEqual(request);

    // The raw number only for a key that holds calls:read_phone by name.
    const reader = await app.createKey(v.clinic.tenantId, ['calls:read', 'calls:read_phone']);
    expect((await list(reader.key)).body.items[0].phone).toBe(CALLER);
    // Another clinic sees none of it.
    const other = await app.createClinic();
    expect((await list(other.key)).body.items).toEqual([]);
  });

  it('a retried tool call replays its first answer and records once, also when the retries arrive together', async () => {
    const v = await clinicWithHook();
    const first = await send(v.path, takeMessage('call-retry', 'tc-r', { ...ARGS, urgency: null }));
    expect(first).toBe('Mensagem registada. A clínica vai ligar-lhe de volta.');
    expect(await send(v.path, takeMessage('call-retry', 'tc-r', { ...ARGS, urgency: null }))).toBe(first);

    const together = await Promise.all(
      Array.from({ length: 6 }, () => send(v.path, takeMessage('call-burst', 'tc-b', ARGS))),
    );
    expect(new Set(together)).toEqual(
      new Set(['Mensagem registada. A clínica vai ligar-lhe de volta logo que possível.']),
    );
    const items = (await list(v.clinic.key)).body.items;
    expect(items).toHaveLength(2);
    const deliveries = await app.request('GET', `/v1/webhooks/${v.hookId}/deliveries`, { key: v.clinic.key });
    expect(deliveries.body.items).toHaveLength(2);
    // The same tool-call id in another call is another message (ids like call_0 are reused by models).
    await send(v.path, takeMessage('call-other', 'tc-r', { ...ARGS, urgency: null }));
    expect((await list(v.clinic.key)).body.items).toHaveLength(3);
  });

  it('asks for a number when caller ID is withheld, checks one given, and takes no message for an emergency', async () => {
    const v = await clinicWithHook();
    expect(await send(v.path, takeMessage('call-web', 'tc-w', ARGS, null))).toBe(
      'Para lhe ligarmos de volta preciso de um número. Qual é?',
    );
    expect(
      await send(v.path, takeMessage('call-web', 'tc-w2', { ...ARGS, callbackPhone: '123' }, null)),
    ).toBe('Esse número não parece válido. Pode repetir, com o indicativo?');
    expect(
      await send(v.path, takeMessage('call-web', 'tc-w3', { ...ARGS, callbackPhone: '912 345 679' }, null)),
    ).toContain('Mensagem registada');
    expect(
      await send(
        v.path,
        takeMessage('call-sos', 'tc-s', {
          callerName: 'Rui',
          reason: 'A minha mãe tem falta de ar',
          urgency: 'urgent',
        }),
      ),
    ).toBe(
      'Isso pode ser uma emergência. Desligue e ligue já para o 112. Não vou marcar consulta para isto.',
    );
    const items = (await list(v.clinic.key)).body.items;
    expect(items.map((i: { phoneMasked: string }) => i.phoneMasked)).toEqual(['+351 ••• ••• 679']);
  });

  it('pages with a cursor, filters by call, and refuses a bad cursor with 422', async () => {
    const v = await clinicWithHook();
    for (const n of [1, 2, 3]) {
      app.setNow(DEFAULT_NOW + n * 60_000);
      await send(v.path, takeMessage(`call-page-${n}`, `tc-${n}`, { ...ARGS, reason: `motivo ${n}` }));
    }
    const first = await list(v.clinic.key, { limit: 2 });
    expect(first.body.items.map((i: { reason: string }) => i.reason)).toEqual(['motivo 3', 'motivo 2']);
    const second = await list(v.clinic.key, { limit: 2, cursor: first.body.nextCursor });
    expect(second.body.items.map((i: { reason: string }) => i.reason)).toEqual(['motivo 1']);
    expect(second.body.nextCursor).toBeNull();
    const byCall = await list(v.clinic.key, { callId: first.body.items[0].callId });
    expect(byCall.body.items).toHaveLength(1);
    const bad = await list(v.clinic.key, { cursor: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'validation_failed', errors: [{ path: 'cursor' }] });
  });
});

describe('callback requests and the patient’s rights', () => {
  it("erasing the caller's number deletes their messages; retention deletes old ones with the calls' transcripts", async () => {
    const v = await clinicWithHook();
    await send(v.path, takeMessage('call-erase', 'tc-e', ARGS));
    await send(v.path, takeMessage('call-keep', 'tc-k', { ...ARGS, callbackPhone: '+351912345670' }, null));
    const theirs = (await list(v.clinic.key)).body.items.find(
      (i: { phoneMasked: string }) => i.phoneMasked === '+351 ••• ••• 678',
    );
    const eraser = await app.createKey(v.clinic.tenantId, ['patients:erase']);
    const erased = await app.request('POST', `/v1/patients/${theirs.phoneHash}/erase`, { key: eraser.key });
    expect(erased.status).toBe(200);
    const left = (await list(v.clinic.key)).body.items;
    expect(left.map((i: { phoneMasked: string }) => i.phoneMasked)).toEqual(['+351 ••• ••• 670']);

    // callRetentionDays (90 by default) later, the rest goes too.
    app.setNow(DEFAULT_NOW + 91 * 24 * 3_600_000);
    await app.runScheduledJobs();
    expect((await list(v.clinic.key)).body.items).toEqual([]);
  });
});
