import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { describeRoute, ROUTES } from '../support/routes.js';
import type { TestApp } from '../support/types.js';

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
      const path = describeRoute(route)
        .split(' ')[1]!
        .split('?')[0]!
        .replace(/:exceptionId/g, '{exceptionId}')
        .replace(/:id/g, '{id}');
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
  });

  it('documents the create body exactly as the seed, plus metadata and source', () => {
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
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!.trim().split(/\s+/);
    // Only this exact file and nonced inline scripts: no host-wide or 'unsafe-inline' allowance.
    expect(scriptSrc.slice(1).sort()).toEqual([src, expect.stringMatching(/^'nonce-[\w-]+'$/)].sort());
    const nonce = /'nonce-([\w-]+)'/.exec(csp)![1];
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    const again = await app.request('GET', '/docs');
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
  });
});
