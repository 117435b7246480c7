// The voice door bounds its body while it streams, as /v1 and /booking do: a 3 MB chunked body to an
// integration URL is refused with 413 before the client has finished sending it (so the service never
// buffers it); a body of declared length is judged by that length before it is read. On Node only: it
// needs a real socket that keeps the request open.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/node-harness.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Streams `totalBytes` in 64 KiB chunks without ending the request; resolves on the first answer. */
function streamWithoutEnding(url: string, totalBytes: number, headers: Record<string, string>) {
  return new Promise<{ status: number | null; body: string; sentBytes: number }>((resolve, reject) => {
    let sentBytes = 0;
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
    const giveUp = setTimeout(() => {
      req.destroy();
      resolve({ status: null, body: '', sentBytes });
    }, 5_000);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => {
        clearTimeout(giveUp);
        req.destroy();
        resolve({ status: res.statusCode ?? null, body, sentBytes });
      });
    });
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (sentBytes < totalBytes) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      // Deliberately never req.end(): an answer can only come from a server that stopped reading.
    };
    pump();
  });
}

describe('voice webhook body bound', () => {
  it('refuses a 3 MB chunked body with 413 payload_too_large while it is still streaming', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: 'v'.repeat(40) });
    const reply = await streamWithoutEnding(`${app.baseUrl}${v.path}`, 3 * 1024 * 1024, {
      'content-type': 'application/json',
      authorization: `Bearer ${'v'.repeat(40)}`,
    });
    expect(reply.status, 'the service waited for the whole body').toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'payload_too_large', errors: [] });
  });

  it('still accepts an ordinary webhook', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: 'w'.repeat(40) });
    const res = await fetch(`${app.baseUrl}${v.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'w'.repeat(40)}` },
      body: JSON.stringify({ message: { type: 'status-update', status: 'in-progress', call: { id: 'c1' } } }),
    });
    expect(res.status).toBeLessThan(300);
  });

  it('judges a body of declared length by that length: over the bound 413 at once, under it read', async () => {
    const clinic = await app.createClinic();
    // /v1's bound is 64 KiB. Declared larger: refused on the header, the body never read.
    const declared = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${app.baseUrl}/v1/appointments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${clinic.key}`,
          'content-length': String(65 * 1024),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // Only the start of the declared body is ever sent.
      req.write('{"patientName":"');
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ error: 'payload_too_large' });
    // Just under the bound: read and judged on its content (a 422 for what it says, not a 413).
    const padded = JSON.stringify({ patientNotes: 'x'.repeat(60 * 1024) });
    const under = await fetch(`${app.baseUrl}/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clinic.key}` },
      body: padded,
    });
    expect(under.status).toBe(422);
  });
});
