// Issue 10, finding 9: the URLs the service prints come from its configured public base URL, never
// from the request's Host header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ publicBaseUrl: 'https://agendai.example.com/base' });
});
afterAll(() => app.close());

describe('PUBLIC_BASE_URL', () => {
  it("builds integrations' webhook URLs and tools' server URLs from it, whatever Host says", async () => {
    const clinic = await app.createClinic();
    const headers = {
      host: 'attacker.example',
      'x-forwarded-host': 'attacker.example',
      'x-forwarded-proto': 'http',
    };
    const created = await app.request('POST', '/v1/voice/integrations', {
      key: clinic.key,
      headers,
      body: { platform: 'vapi', credentials: { secret: 'a-vapi-secret-of-32-characters-long!' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.webhookUrl).toBe(`https://agendai.example.com/base/v1/voice/webhooks/${id}`);
    expect(created.body.toolsUrl).toBe(`https://agendai.example.com/base/v1/voice/webhooks/${id}/tools`);
    const tools = await app.request('GET', '/v1/voice/tools', {
      key: clinic.key,
      headers,
      query: { format: 'vapi', integrationId: id },
    });
    expect(tools.status).toBe(200);
    expect(tools.text).not.toContain('attacker.example');
    expect(tools.text).toContain(`https://agendai.example.com/base/v1/voice/webhooks/${id}`);
  });
});
