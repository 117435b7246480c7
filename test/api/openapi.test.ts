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
  });

  it('serves an interactive reference at /docs', async () => {
    const reply = await app.request('GET', '/docs');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/html');
    expect(reply.text).toContain('/openapi.json');
  });
});
