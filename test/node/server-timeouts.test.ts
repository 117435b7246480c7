// Slowloris: a client that trickles its headers must lose the connection once the headers timeout
// passes, instead of holding a socket for Node's default 60 s.

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { type NodeService, SERVER_TIMEOUTS, startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';

const dir = mkdtempSync(join(tmpdir(), 'agendai-timeouts-'));
let service: NodeService;

beforeAll(async () => {
  service = await startNodeService({
    databasePath: join(dir, 'test.db'),
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: silentLogger,
    port: 0,
    schedulerIntervalMs: 0,
    timeouts: { headersMs: 600, requestMs: 1_200 },
  });
});

afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a header line every 200 ms and resolves with what the server said and when it hung up. */
function slowloris(url: string, giveUpMs: number) {
  const { hostname, port } = new URL(url);
  return new Promise<{ closedAfterMs: number | null; answer: string }>((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let answer = '';
    let n = 0;
    const drip = setInterval(() => socket.write(`X-Drip-${n++}: a\r\n`), 200);
    const finish = (closedAfterMs: number | null) => {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs, answer });
    };
    const giveUp = setTimeout(() => finish(null), giveUpMs);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => finish(Date.now() - started));
    socket.on('error', () => undefined);
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  });
}

describe('Node server timeouts', () => {
  it('are deliberate defaults, far below Node 60 s for headers and 300 s for a request', () => {
    expect(SERVER_TIMEOUTS.headersMs).toBeLessThanOrEqual(15_000);
    expect(SERVER_TIMEOUTS.requestMs).toBeLessThanOrEqual(60_000);
    expect(SERVER_TIMEOUTS.keepAliveMs).toBeLessThan(SERVER_TIMEOUTS.headersMs);
  });

  it('cuts a slowloris connection that never finishes its headers, with a 408 in the envelope', async () => {
    const { closedAfterMs, answer } = await slowloris(service.url, 5_000);
    expect(closedAfterMs, 'the server kept the trickling connection open').not.toBeNull();
    expect(closedAfterMs).toBeLessThan(3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('"error":"request_timeout"');
  });

  it('still serves an ordinary request', async () => {
    const res = await fetch(`${service.url}/health`);
    expect(res.status).toBe(200);
  });
});
