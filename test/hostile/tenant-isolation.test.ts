// The tenant-isolation matrix, generated from the OpenAPI document so a new route is covered the day it
// is documented. For every authenticated operation: no key → 401; the one scope it needs is found by
// probing, and every other scope → 403; each id it takes (path, query, body) swapped for another
// clinic's → 404 or an answer without a trace of that clinic; undocumented methods never succeed.
// The other clinic's data is compared before and after: nothing of it may change.
// (test/api/security.test.ts runs the finer per-key cases over the hand-written route table.)
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { SCOPES } from '../../src/accounts/scopes.js';
import {
  type FuzzRequest,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  plausibleRequestArbitrary,
  resourceOf,
} from '../support/openapi-fuzz.js';
import { type Resources, ROUTES } from '../support/routes.js';
import type { Clinic, Reply, TestApp } from '../support/types.js';

const app: TestApp = await startTestApp();
const doc: OpenApiDocument = (await app.request('GET', '/openapi.json')).body;
const operations = operationsOf(doc).filter((op) => op.secured && op.path.startsWith('/v1/'));

/** One clinic's resources, by the kind their ids name (see resourceOf). */
interface Estate {
  clinic: Clinic;
  ids: Record<string, string>;
  /** Text that only this clinic's data contains. */
  marker: string;
}

const PHONE = { mine: '+351912000222', theirs: '+351912000333' };

async function post(clinic: Clinic, path: string, body: unknown) {
  const reply = await app.request('POST', path, { key: clinic.key, body });
  if (reply.status !== 201) throw new Error(`fixture ${path}: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** A clinic with one resource of every kind an operation can name. */
async function estate(who: 'mine' | 'theirs', clinic?: Clinic): Promise<Estate> {
  const marker = who === 'theirs' ? `THEIRS${crypto.randomUUID().slice(0, 8)}` : 'Mine';
  const c = clinic ?? (await app.createClinic({ name: `Clínica ${marker}` }));
  const professional = await post(c, '/v1/professionals', { name: `Dr. ${marker}` });
  const service = await post(c, '/v1/services', { name: `Consulta ${marker}`, durationMinutes: 30 });
  const appointment = await post(c, '/v1/appointments', {
    professionalId: professional.id,
    serviceTypeId: service.id,
    patientName: `Paciente ${marker}`,
    patientPhone: PHONE[who],
    startsAt: '2026-06-01T10:00:00Z',
  });
  const exception = await post(c, `/v1/professionals/${professional.id}/exceptions`, {
    kind: 'holiday',
    date: '2026-12-25',
  });
  const secret = `secret-${marker}-0123456789-0123456789`;
  const integration = await post(c, '/v1/voice/integrations', {
    platform: 'vapi',
    name: `Linha ${marker}`,
    credentials: { secret },
  });
  // A call exists once the platform reports it; its end-of-call report names a recording.
  for (const message of [
    { type: 'status-update', status: 'in-progress' },
    { type: 'end-of-call-report', artifact: { recordingUrl: 'https://recordings.example.invalid/a.wav' } },
  ]) {
    const report = await app.request('POST', new URL(integration.webhookUrl).pathname, {
      headers: { 'x-vapi-secret': secret },
      body: { message: { ...message, call: { id: `call-${integration.id}` } } },
    });
    if (report.status >= 300) throw new Error(`fixture call: ${report.status} ${report.text}`);
  }
  const webhook = await post(c, '/v1/webhooks', {
    url: 'https://pms.example.invalid/hooks',
    description: `PMS ${marker}`,
  });
  const sender = await app.request('PUT', '/v1/messaging/senders/sms', {
    key: c.key,
    body: {
      provider: 'twilio',
      from: '+351300000001',
      credentials: { accountSid: `AC${'1'.repeat(32)}`, authToken: `token-${marker}` },
    },
  });
  if (sender.status >= 300) throw new Error(`fixture sender: ${sender.status} ${sender.text}`);
  const testKey = await post(c, '/v1/api-keys', { scopes: ['tenant:read'], name: `Test ${marker}` });
  const calls = await app.request('GET', '/v1/calls', { key: c.key, query: { limit: 200 } });
  const callId = (calls.body.items as { id: string; integrationId?: string }[]).find(
    (call) => call.integrationId === undefined || call.integrationId === integration.id,
  )!.id;
  return {
    clinic: c,
    marker,
    ids: {
      professionals: professional.id,
      services: service.id,
      appointments: appointment.id,
      exceptions: exception.id,
      patients: appointment.patientPhoneHash,
      integrations: integration.id,
      calls: callId,
      webhooks: webhook.id,
      'api-keys': testKey.key.id,
    },
  };
}

const asResources = (e: Estate): Resources => ({
  clinic: e.clinic,
  professionalId: e.ids.professionals!,
  serviceId: e.ids.services!,
  appointmentId: e.ids.appointments!,
  patientHash: e.ids.patients!,
  exceptionId: e.ids.exceptions!,
  integrationId: e.ids.integrations!,
  callId: e.ids.calls!,
  // A channel is a word every clinic shares (sms, whatsapp), not an id: no other clinic's to swap in.
  messageChannel: e.ids.channels ?? 'sms',
  webhookId: e.ids.webhooks!,
  testKeyId: e.ids['api-keys']!,
});

/** The route-table entry for an operation, when there is one (it knows a body that succeeds). */
function routeFor(op: Operation) {
  const kinds = [
    'professionals',
    'services',
    'appointments',
    'exceptions',
    'integrations',
    'calls',
    'patients',
    'channels',
    'api-keys',
  ];
  const probe = asResources({
    clinic: { tenantId: '', key: '', keyId: '' },
    marker: '',
    ids: Object.fromEntries(kinds.map((k) => [k, `{${k}}`])),
  });
  const template = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => `{${resourceOf(name, op.path)}}`);
  return ROUTES.find((r) => r.method === op.method && r.path(probe).split('?')[0] === template);
}

/** The request with another key (or none). */
function send(req: FuzzRequest, key: string | null) {
  const { authorization: _, ...headers } = req.headers;
  if (key) headers.authorization = `Bearer ${key}`;
  return app.request(req.method, req.path, { key: null, headers, body: req.body });
}

/** A request on `mine` that the operation accepts (2xx, else 409): the route table's, else one sampled from the schema. */
async function acceptedRequest(op: Operation, mine: Estate): Promise<FuzzRequest> {
  const candidates: FuzzRequest[] = [];
  const route = routeFor(op);
  if (route) {
    const body = route.body?.(asResources(mine));
    candidates.push({
      method: op.method,
      path: route.path(asResources(mine)),
      headers: {
        authorization: `Bearer ${mine.clinic.key}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  const fixtures = {
    key: mine.clinic.key,
    ids: Object.fromEntries(Object.entries(mine.ids).map(([k, v]) => [k, [v]])),
    phones: [PHONE.mine],
    dates: ['2026-06-10T09:00:00Z', '2026-06-10T10:30:00+01:00'],
  };
  candidates.push(...fc.sample(plausibleRequestArbitrary(doc, op, fixtures), { numRuns: 40, seed: 42 }));
  const seen: string[] = [];
  for (const req of candidates) {
    const reply = await app.request(req.method, req.path, {
      key: null,
      headers: req.headers,
      body: req.body,
    });
    // 409: the request reached the resource and was refused for its state (e.g. a no-show before the
    // appointment started); enough to tell ownership and scope apart.
    if (reply.status < 300 || reply.status === 409) return req;
    seen.push(`${reply.status} ${reply.body?.error ?? ''}`);
  }
  throw new Error(
    `${op.method} ${op.path}: no accepted request found (answers: ${[...new Set(seen)].join(', ')}); add it to test/support/routes.ts`,
  );
}

/** Every id the request names, with where it sits and which kind of resource it is. */
function idsIn(op: Operation, req: FuzzRequest, mine: Estate) {
  const found: { where: string; kind: string; swap: (theirs: string) => FuzzRequest }[] = [];
  const mineByValue = new Map(Object.entries(mine.ids).map(([kind, id]) => [id, kind]));
  const [path, search = ''] = req.path.split('?');
  const segments = path!.split('/');
  segments.forEach((segment, i) => {
    const kind = mineByValue.get(decodeURIComponent(segment));
    if (!kind) return;
    found.push({
      where: `path ${op.path}`,
      kind,
      swap: (theirs) => {
        const copy = [...segments];
        copy[i] = encodeURIComponent(theirs);
        return { ...req, path: `${copy.join('/')}${search ? `?${search}` : ''}` };
      },
    });
  });
  const params = new URLSearchParams(search);
  for (const [name, value] of params) {
    const kind = mineByValue.get(value);
    if (!kind) continue;
    found.push({
      where: `query ${name}`,
      kind,
      swap: (theirs) => {
        const copy = new URLSearchParams(params);
        copy.set(name, theirs);
        return { ...req, path: `${path}?${copy}` };
      },
    });
  }
  if (req.body) {
    for (const [id, kind] of mineByValue) {
      if (!req.body.includes(JSON.stringify(id))) continue;
      found.push({
        where: 'body',
        kind,
        swap: (theirs) => ({ ...req, body: req.body!.split(id).join(theirs) }),
      });
    }
  }
  return found;
}

let theirs: Estate;
const snapshot = async () => {
  const views: Record<string, string> = {};
  for (const path of [
    '/v1/tenants/me',
    `/v1/professionals/${theirs.ids.professionals}`,
    `/v1/professionals/${theirs.ids.professionals}/schedule`,
    `/v1/professionals/${theirs.ids.professionals}/exceptions`,
    `/v1/services/${theirs.ids.services}`,
    `/v1/appointments/${theirs.ids.appointments}`,
    `/v1/appointments/${theirs.ids.appointments}/history`,
    `/v1/voice/integrations/${theirs.ids.integrations}`,
    `/v1/calls/${theirs.ids.calls}`,
    `/v1/patients/${theirs.ids.patients}`,
  ]) {
    const reply = await app.request('GET', path, { key: theirs.clinic.key });
    views[path] = `${reply.status} ${reply.text}`;
  }
  return views;
};
let before: Record<string, string>;

beforeAll(async () => {
  theirs = await estate('theirs');
  before = await snapshot();
});
afterAll(async () => {
  // Nothing another clinic sent changed anything of theirs.
  expect(await snapshot()).toEqual(before);
  await app.close();
});

describe('tenant isolation, generated from the OpenAPI document', () => {
  it('covers the documented operations', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  describe.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', (_label, op) => {
    it('401 without a key', async () => {
      const req = await acceptedRequest(op, await estate('mine'));
      const reply = await send(req, null);
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('malformed_auth_header');
    });

    it('needs exactly one scope, of the right kind; every other scope is 403', async () => {
      const mine = await estate('mine');
      const req = await acceptedRequest(op, mine);
      // The scope check runs before the handler: a resource the granting try consumed (DELETE) turns
      // later tries into 404s, never into 403s, so one set of resources serves every try.
      const granting: string[] = [];
      for (const scope of SCOPES) {
        const { key } = await app.createKey(mine.clinic.tenantId, [scope]);
        const reply = await send(req, key);
        if (reply.status !== 403) granting.push(scope);
        else expect(reply.body.error).toBe('insufficient_scope');
      }
      expect(granting, 'scopes that open this operation').toHaveLength(1);
      // A write never opens with a read scope (some reads, like integration settings, need a write one);
      // erasing a patient has its own scope, patients:erase.
      if (op.method !== 'GET') expect(/:(write|erase)$/.test(granting[0]!), granting[0]).toBe(true);
      const { key } = await app.createKey(
        mine.clinic.tenantId,
        SCOPES.filter((s) => s !== granting[0]),
      );
      expect((await send(req, key)).status).toBe(403);
      const { key: none } = await app.createKey(mine.clinic.tenantId, []);
      expect((await send(req, none)).status).toBe(403);
    });

    it("another clinic's ids: 404, or an answer without a trace of that clinic", async () => {
      const mine = await estate('mine');
      const probe = await estate('mine', mine.clinic);
      const places = idsIn(op, await acceptedRequest(op, probe), probe).length;
      for (let k = 0; k < places; k++) {
        // Fresh resources per swap, so a write that succeeded before cannot hide a leak now.
        const fresh = await estate('mine', mine.clinic);
        const place = idsIn(op, await acceptedRequest(op, fresh), fresh)[k]!;
        const theirId = theirs.ids[place.kind]!;
        const reply: Reply = await send(place.swap(theirId), mine.clinic.key);
        const label = `${place.where} (${place.kind}) → ${reply.status} ${reply.text.slice(0, 200)}`;
        if (place.where.startsWith('path')) {
          expect(reply.status, label).toBe(404);
          expect(reply.body.error, label).toMatch(/_not_found$/);
        } else {
          expect([200, 201, 404, 409, 422], label).toContain(reply.status);
        }
        expect(reply.text, label).not.toContain(theirs.marker);
        // Echoing the id the caller sent reveals nothing; any other id of theirs would.
        for (const other of Object.values(theirs.ids).filter((id) => id !== theirId))
          expect(reply.text, label).not.toContain(other);
      }
    });
  });

  it('methods a path does not document never succeed: 401 without a key, a 4xx with one', async () => {
    const mine = await estate('mine');
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    const paths = [...new Set(operations.map((op) => op.path))];
    let checked = 0;
    for (const template of paths) {
      const documented = operations.filter((op) => op.path === template).map((op) => op.method);
      const path = template.replace(
        /\{(\w+)\}/g,
        (_m, name: string) => mine.ids[resourceOf(name, template) ?? ''] ?? 'x',
      );
      for (const method of methods.filter((m) => !documented.includes(m))) {
        checked++;
        const body = method === 'GET' ? undefined : '{}';
        const anonymous = await app.request(method, path, { key: null, body });
        expect(anonymous.status, `${method} ${template} without a key`).toBe(401);
        // Usually 404/405; another template may match (PATCH /v1/appointments/conflicts is the {id} route).
        const reply = await app.request(method, path, { key: mine.clinic.key, body });
        const label = `${method} ${template} → ${reply.status} ${reply.text.slice(0, 200)}`;
        expect(reply.status, label).toBeGreaterThanOrEqual(400);
        expect(reply.status, label).toBeLessThan(500);
        expect(reply.body.error, label).toBeTruthy();
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
