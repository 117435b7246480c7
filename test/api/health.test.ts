import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('GET /health answers without a key: the service, the clock it runs on and the request id', async () => {
  const reply = await app.request('GET', '/health');
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    status: 'ok',
    service: 'agendai',
    timestamp: new Date(app.now()).toISOString(),
    requestId: reply.headers.get('x-request-id'),
  });
});
