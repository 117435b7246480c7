// Issue 10, finding 9 on Node without PUBLIC_BASE_URL (development): printed URLs name the server's
// own http://HOST:PORT, not the Host header of the request (sent raw here, as an attacker would).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

function rawPost(path: string, key: string, body: unknown, host: string): Promise<any> {
  const url = new URL(path, app.baseUrl);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { host, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.on('data', (chunk) => {
          data += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('printed URLs without PUBLIC_BASE_URL (development)', () => {
  it('use the server address, not the Host header', async () => {
    const clinic = await app.createClinic();
    const reply = await rawPost(
      '/v1/voice/integrations',
      clinic.key,
      { platform: 'vapi', credentials: { secret: 'a-vapi-secret-of-32-characters-long!' } },
      'attacker.example',
    );
    expect(reply.status).toBe(201);
    expect(reply.body.webhookUrl).toBe(`${app.baseUrl}/v1/voice/webhooks/${reply.body.id}`);
    expect(app.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
