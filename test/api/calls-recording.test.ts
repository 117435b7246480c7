// GET /v1/calls/{id}/recording: the recording a platform reported, only through our own signed link
// valid 24 hours (HMAC with a server key, checked when fetched, the audio streamed from the
// platform). The platform's URL is never shown; the recordings are served by the local stand-in.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp } from '#harness';
import { nextPhone } from '../support/factories.js';
import { RECORDING_BYTES } from '../support/platform-stand-in.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

const STAND_IN = inject('platformStandIn');
const SECRET = 'recording-vapi-secret-0123456789abcdefgh';
const DAY = 86_400_000;
let app: TestApp;
let v: Awaited<ReturnType<typeof voiceClinic>>;

beforeAll(async () => {
  // The recordings live on 127.0.0.1 here; in production the egress rule keeps them to public hosts.
  app = await startTestApp({ allowPrivateTargets: true });
  v = await voiceClinic(app, 'vapi', { secret: SECRET });
});
afterAll(() => app.close());

/** A Vapi call whose end-of-call report names `recordingUrl` (or none); returns our call id. */
async function endedCall(recordingUrl: string | null) {
  const id = crypto.randomUUID();
  const vapi = (message: Record<string, unknown>) =>
    app.request('POST', v.path, {
      headers: { 'x-vapi-secret': SECRET },
      body: { message: { call: { id, customer: { number: nextPhone() } }, ...message } },
    });
  expect((await vapi({ type: 'status-update', status: 'in-progress' })).status).toBe(200);
  const ended = await vapi({
    type: 'end-of-call-report',
    endedReason: 'customer-ended-call',
    ...(recordingUrl ? { artifact: { recordingUrl } } : {}),
  });
  expect(ended.status, ended.text).toBe(200);
  const list = await app.request('GET', '/v1/calls', { key: v.clinic.key, query: { limit: 100 } });
  return list.body.items.find((c: { externalCallId: string }) => c.externalCallId === id).id as string;
}

const linkOf = async (callId: string, key = v.clinic.key) =>
  app.request('GET', `/v1/calls/${callId}/recording`, { key });

/** Fetches a link as anyone would: no API key. */
const open = (url: string, headers: Record<string, string> = {}) => {
  const u = new URL(url);
  return app.request('GET', u.pathname + u.search, { key: null, headers });
};

describe('GET /v1/calls/{id}/recording', () => {
  it('gives our own link valid 24 h, which streams the audio without an API key', async () => {
    const platformUrl = `${STAND_IN}/recordings/${crypto.randomUUID()}.wav`;
    const callId = await endedCall(platformUrl);
    const reply = await linkOf(callId);
    expect(reply.status, reply.text).toBe(200);
    expect(Date.parse(reply.body.expiresAt)).toBe(Math.floor((app.now() + DAY) / 1000) * 1000);
    expect(reply.body.url).toMatch(
      new RegExp(`/recordings/${callId}\\?clinic=[A-Za-z0-9_-]{16}&expires=\\d+&signature=[0-9a-f]{64}$`),
    );
    expect(reply.text).not.toContain(STAND_IN);
    const detail = await app.request('GET', `/v1/calls/${callId}`, { key: v.clinic.key });
    expect(detail.text).not.toContain(STAND_IN);
    expect(detail.body.call.recordingUrl).toMatch(/\/recordings\//);
    expect(detail.body.call.recordingExpiresAt).toBe(reply.body.expiresAt);

    const audio = await open(reply.body.url);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(audio.headers.get('cache-control')).toBe('private, no-store');
    expect(audio.headers.get('set-cookie')).toBeNull();
    expect(audio.text).toBe(RECORDING_BYTES.toString('utf8'));
    const part = await open(reply.body.url, { range: 'bytes=0-3' });
    expect(part.status).toBe(206);
    expect(part.text).toBe('RIFF');
    expect(part.headers.get('content-range')).toBe(`bytes 0-3/${RECORDING_BYTES.length}`);
  });

  it('after 24 h the link answers 410 link_expired; a new request gives a new link', async () => {
    const callId = await endedCall(`${STAND_IN}/recordings/${crypto.randomUUID()}.wav`);
    const { url } = (await linkOf(callId)).body;
    const start = app.now();
    app.setNow(start + DAY - 1000);
    try {
      expect((await open(url)).status).toBe(200);
      app.setNow(start + DAY + 1000);
      const late = await open(url);
      expect(late.status).toBe(410);
      expect(late.body).toMatchObject({ error: 'link_expired', errors: [] });
      const fresh = await linkOf(callId);
      expect((await open(fresh.body.url)).status).toBe(200);
    } finally {
      app.setNow(start);
    }
  });

  it('a forged, altered or borrowed signature is refused before anything is fetched', async () => {
    const mine = await endedCall(`${STAND_IN}/recordings/${crypto.randomUUID()}.wav`);
    const other = await endedCall(`${STAND_IN}/recordings/${crypto.randomUUID()}.wav`);
    const { url } = (await linkOf(mine)).body;
    const u = new URL(url);
    const signature = u.searchParams.get('signature')!;
    const expires = Number(u.searchParams.get('expires'));
    const forged = [
      url.replace(signature, `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`),
      url.replace(`expires=${expires}`, `expires=${expires + 86_400}`),
      url.replace(mine, other),
      url.replace(/&signature=.*/, ''),
    ];
    for (const attempt of forged) {
      const reply = await open(attempt);
      expect(reply.status, attempt).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
  });

  it("404 when the platform reported no recording, or for another clinic's call; calls:read needed", async () => {
    const none = await linkOf(await endedCall(null));
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error: 'recording_not_found' });
    const callId = await endedCall(`${STAND_IN}/recordings/${crypto.randomUUID()}.wav`);
    const stranger = await app.createClinic({ name: 'Outra clínica' });
    const foreign = await linkOf(callId, stranger.key);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toBe('call_not_found');
    const { key } = await app.createKey(v.clinic.tenantId, ['appointments:read']);
    expect((await linkOf(callId, key)).status).toBe(403);
  });

  it('a recording the platform no longer has is a 502 in the envelope, never a 500', async () => {
    const callId = await endedCall(`${STAND_IN}/recordings/gone.wav`);
    const reply = await open((await linkOf(callId)).body.url);
    expect(reply.status).toBe(502);
    expect(reply.body).toMatchObject({ error: 'platform_error' });
    expect(reply.body.message).toContain('404');
  });
});
