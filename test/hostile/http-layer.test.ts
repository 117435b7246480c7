// What Node's HTTP parser refuses before any route runs (oversized headers or URL, broken request
// lines, forbidden bytes) still gets the error envelope, and the service keeps serving. Raw sockets:
// fetch would refuse to send most of these.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../src/logger.js';
import { type NodeService, startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { UNLIMITED } from '../support/http.js';

let dir: string;
let service: NodeService;
let port: number;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agendai-http-'));
  service = await startNodeService({
    databasePath: join(dir, 'test.db'),
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: jsonLogger((line) => logs.push(line)),
    port: 0,
    rateLimits: UNLIMITED,
  });
  port = Number(new URL(service.url).port);
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes and returns the status, headers and body of the answer. */
function raw(request: string): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      try {
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) });
      } catch {
        reject(new Error(`not a JSON answer: ${text.slice(0, 300)}`));
      }
    });
    socket.end(request);
  });
}

const envelope = (error: string) => ({
  error,
  message: expect.any(String),
  requestId: expect.any(String),
  errors: [],
});

describe('requests refused by the HTTP parser', () => {
  it('431 headers_too_large for headers over 16 KiB, in the envelope', async () => {
    const reply = await raw(
      `GET /v1/appointments HTTP/1.1\r\nHost: x\r\nX-Fill: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(reply.status).toBe(431);
    expect(reply.body).toEqual(envelope('headers_too_large'));
    expect(reply.headers['x-request-id']).toBe(reply.body.requestId);
  });

  it('431 for a URL over 16 KiB (a huge query string)', async () => {
    const reply = await raw(`GET /v1/appointments?from=${'9'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(reply.status).toBe(431);
    expect(reply.body).toEqual(envelope('headers_too_large'));
  });

  it('400 malformed_request for broken request lines and forbidden header bytes', async () => {
    for (const request of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
      'POST /v1/appointments HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      'POST /v1/appointments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ]) {
      const reply = await raw(request);
      expect(reply.status, JSON.stringify(request)).toBe(400);
      expect(reply.body).toEqual(envelope('malformed_request'));
    }
  });

  it('logs the refusal without the raw bytes, and keeps serving', async () => {
    await raw(
      `GET /v1/appointments?patientPhone=%2B351912345678 HTTP/1.1\r\nX-Fill: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    const refusals = logs.filter((l) => l.includes('"event":"client_error"'));
    expect(refusals.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain('912345678');
    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
  });
});
