import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { MESSAGE_WEBHOOK_PREFIX } from '../../src/api/messages.js';
import { createApp } from '../../src/app.js';
import type { AppDeps } from '../../src/deps.js';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { PLATFORMS } from '../../src/voice/credentials.js';
import { MCP_PREFIX } from '../../src/voice/mcp-link.js';
import { WEBHOOK_PREFIX } from '../../src/voice/webhooks.js';
import { describeRoute, PUBLIC_ROUTES, ROUTES, templateOf } from '../support/routes.js';
import type { TestApp } from '../support/types.js';
import { VOKI_ROUTES, vokiTemplateOf } from '../support/voki-routes.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, as "METHOD /path/{param}". */
const operationsOf = (doc: any): string[] =>
  Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => METHODS.includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );

/** Every route the app registers under /v1 and /api/v1 (the Voki door), as "METHOD /path/{param}". */
function registeredV1Routes(): string[] {
  // Registering routes touches no dependency (they are read per request), so none are built here.
  const app = createApp({} as AppDeps);
  const routes = app.routes
    // OPTIONS answers the browser's CORS preflight for each REST path: not an operation of the API.
    .filter(
      (r) =>
        r.method !== 'ALL' &&
        r.method !== 'OPTIONS' &&
        (r.path.startsWith('/v1/') || r.path.startsWith('/api/v1/')),
    )
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)\??/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

/**
 * Routes under /v1 that are not the REST API and so not in the document: the voice platforms' and the
 * message providers' webhook doors, which a platform calls with its own signature (never an API key) in its own format.
 */
const PLATFORM_DOORS = [
  `POST ${WEBHOOK_PREFIX}/{integrationId}`,
  `POST ${WEBHOOK_PREFIX}/{integrationId}/tools/{toolName}`,
  // The MCP door (src/mcp): the same tools over the MCP protocol, with the integration's secret.
  ...['POST', 'GET', 'DELETE'].map((method) => `${method} ${MCP_PREFIX}/{integrationId}`),
  // Message providers' status callbacks and patients' replies (Twilio, Telnyx signatures).
  `POST ${MESSAGE_WEBHOOK_PREFIX}/{senderId}`,
];

let app: TestApp;
let doc: any;
beforeAll(async () => {
  app = await startTestApp();
  doc = (await app.request('GET', '/openapi.json')).body;
});
afterAll(() => app.close());

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with bearer auth', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  it('documents every route of the route table with its error responses in the envelope', () => {
    for (const route of ROUTES) {
      const path = templateOf(route).split(' ')[1]!;
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation, describeRoute(route)).toBeDefined();
      for (const status of ['401', '403', '429', '500']) {
        expect(operation.responses[status], `${describeRoute(route)} ${status}`).toBeDefined();
        expect(operation.responses[status].content['application/json'].schema.$ref).toBe(
          '#/components/schemas/Error',
        );
      }
      if (route.owned) expect(operation.responses['404'], describeRoute(route)).toBeDefined();
      if (route.body) expect(operation.responses['422'], describeRoute(route)).toBeDefined();
    }

    // The Voki door documents its own error words (src/voki/errors.ts).
    for (const route of VOKI_ROUTES) {
      const [method, path] = vokiTemplateOf(route).split(' ') as [string, string];
      const operation = doc.paths[path]?.[method.toLowerCase()];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation.tags).toEqual(['Voki appointments']);
      for (const status of [
        '401',
        '403',
        '429',
        '500',
        ...(route.owned ? ['404'] : []),
        ...(route.body ? ['422'] : []),
      ]) {
        expect(operation.responses[status].content['application/json'].schema.$ref, `${path} ${status}`).toBe(
          '#/components/schemas/VokiError',
        );
      }
    }
  });

  it('documents the create body exactly as docs/mivicall-contract.md does, plus metadata and source', () => {
    const create = doc.components.schemas.AppointmentCreate;
    expect(Object.keys(create.properties).sort()).toEqual(
      [
        'metadata',
        'patientName',
        'patientNotes',
        'patientPhone',
        'professionalId',
        'serviceTypeId',
        'source',
        'startsAt',
      ].sort(),
    );
    expect(create.required.sort()).toEqual(
      ['patientName', 'patientPhone', 'professionalId', 'serviceTypeId', 'startsAt'].sort(),
    );
    expect(create.additionalProperties).toBe(false);
    const post = doc.paths['/v1/appointments'].post;
    expect(post.parameters.map((p: { name: string }) => p.name.toLowerCase())).toContain('idempotency-key');
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '404', '409', '413', '415', '422']),
    );
  });

  it('has every path served by the app documented (no undocumented route)', async () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/tenants/me', '/v1/appointments', '/v1/appointments/{id}']),
    );
    const documented = operationsOf(doc);
    const registered = registeredV1Routes();
    expect(registered.length).toBeGreaterThan(40);
    expect(registered.filter((r) => !documented.includes(r) && !PLATFORM_DOORS.includes(r))).toEqual([]);
    // The exceptions are real routes, not stale names that would excuse a future one.
    expect(registered).toEqual(expect.arrayContaining(PLATFORM_DOORS));
    // And the document promises nothing the app does not serve.
    expect(documented.filter((op) => /^\w+ (\/api)?\/v1\//.test(op) && !registered.includes(op))).toEqual([]);
  });

  it('has the same operations as the security matrix route table (no route escapes the matrix)', () => {
    const table = [
      ...ROUTES.map(templateOf),
      ...VOKI_ROUTES.map(vokiTemplateOf),
      ...PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`),
    ];
    expect(new Set(table).size, 'a route is twice in the table').toBe(table.length);
    const documented = operationsOf(doc);
    expect({
      documentedButNotInTable: documented.filter((op) => !table.includes(op)),
      inTableButNotDocumented: table.filter((op) => !documented.includes(op)),
    }).toEqual({ documentedButNotInTable: [], inTableButNotDocumented: [] });
    // Public routes are documented as such; every other operation needs the key.
    for (const op of documented) {
      const [method, path] = op.split(' ') as [string, string];
      const security = doc.paths[path][method.toLowerCase()].security;
      const isPublic = PUBLIC_ROUTES.some((r) => `${r.method} ${r.path}` === op);
      expect(security, op).toEqual(isPublic ? [] : undefined);
    }
  });

  it('documents the error code as the enum of every code the service answers with', () => {
    expect(doc.components.schemas.Error.properties.error.enum).toEqual([...ERROR_CODES]);
    const notFound = doc.paths['/v1/appointments/{id}'].get.responses['404'].description;
    expect(notFound).toContain('`appointment_not_found`');
  });

  it("types each voice platform's credentials: the create body is a union on platform", () => {
    const create = doc.components.schemas.VoiceIntegrationCreate;
    expect(create.discriminator.propertyName).toBe('platform');
    expect(Object.keys(create.discriminator.mapping).sort()).toEqual([...PLATFORMS].sort());
    for (const ref of Object.values(create.discriminator.mapping) as string[]) {
      const option = doc.components.schemas[ref.split('/').pop()!];
      const credentials = doc.components.schemas[option.properties.credentials.$ref.split('/').pop()];
      expect(credentials.additionalProperties, ref).toBe(false);
      for (const [name, field] of Object.entries(credentials.properties as Record<string, any>))
        expect(field.description, `${ref} credentials.${name}`).toBeTruthy();
    }
    expect(doc.components.schemas.VapiCredentials.properties).toHaveProperty('hmacSecret');
    expect(doc.components.schemas.TelnyxCredentials.required).toEqual(['publicKey']);
  });

  it('serves an interactive reference at /docs', async () => {
    const reply = await app.request('GET', '/docs');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/html');
    expect(reply.text).toContain('/openapi.json');
  });

  it('loads the reference script pinned, with Subresource Integrity, under a CSP that allows nothing else', async () => {
    const reply = await app.request('GET', '/docs');
    const scripts = [...reply.text.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    const external = scripts.filter((attrs) => /\ssrc=/.test(attrs));
    expect(external).toHaveLength(1);
    const src = /src="([^"]+)"/.exec(external[0]!)![1]!;
    expect(src).toMatch(/^https:\/\/[^/]+\/npm\/@scalar\/api-reference@\d+\.\d+\.\d+\//);
    expect(external[0]).toMatch(/integrity="sha(384|512)-[A-Za-z0-9+/]+=*"/);
    expect(external[0]).toContain('crossorigin="anonymous"');

    const csp = reply.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    const scriptSrc = csp
      .split(';')
      .find((d) => d.trim().startsWith('script-src'))!
      .trim()
      .split(/\s+/);
    // Only this exact file and nonced inline scripts: no host-wide or 'unsafe-inline' allowance.
    expect(scriptSrc.slice(1).sort()).toEqual([src, expect.stringMatching(/^'nonce-[\w-]+'$/)].sort());
    const nonce = /'nonce-([\w-]+)'/.exec(csp)![1];
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    const again = await app.request('GET', '/docs');
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
  });
});
