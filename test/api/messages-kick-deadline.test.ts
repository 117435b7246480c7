// The send run after a write has a deadline (KICK_DEADLINE_MS, src/messaging/send.ts): on Workers it
// runs in waitUntil, cut off about 30 s after the answer, and a message claimed too late behind a
// slow provider would be left `sending`, then `unknown`, never retried. Past the deadline the run
// takes no new message; they stay queued and the timed run sends them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';

const KICK_DEADLINE_MS = 20_000;

import { appointmentBody, nextPhone, setupClinic } from '../support/factories.js';
import { messageStandIn, TWILIO_SID, TWILIO_TOKEN } from '../support/message-stand-ins.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
const provider = messageStandIn();
/** The first send waits here, as behind a slow provider, and the app's clock moves past the deadline. */
let slow: { reached: () => void; release: Promise<void> } | undefined;

beforeAll(async () => {
  app = await startTestApp({
    // The send run after a write hangs on purpose: requests must not wait for it.
    awaitAfterAnswer: false,
    sendMessagesAfterWrites: true,
    messageStandIn: async (request) => {
      const hold = slow;
      slow = undefined;
      if (hold) {
        hold.reached();
        await hold.release;
        app.setNow(app.now() + KICK_DEADLINE_MS + 1_000);
      }
      return provider.handler(request);
    },
  });
});
afterAll(() => app.close());

const waitFor = async (done: () => boolean | Promise<boolean>) => {
  const until = Date.now() + 10_000;
  while (!(await done()) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
};

describe('the send run after a write', () => {
  it('takes no new message past its deadline; the rest stay queued for the timed run', async () => {
    const s = await setupClinic(app, { name: 'Clínica Sorriso' });
    const key = s.clinic.key;
    expect(
      (
        await app.request('PUT', '/v1/messaging/senders/sms', {
          key,
          body: {
            provider: 'twilio',
            from: '+351300000002',
            credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
          },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await app.request('PUT', '/v1/messaging/settings', {
          key,
          body: { enabled: true, confirmationSources: ['manual'], reminderHours: 0 },
        })
      ).status,
    ).toBe(200);
    const book = async (startsAt: string) => {
      const reply = await app.request('POST', '/v1/appointments', {
        key,
        body: appointmentBody(s, startsAt, { patientPhone: nextPhone() }),
      });
      expect(reply.status, reply.text).toBe(201);
    };

    let reached!: () => void;
    const atProvider = new Promise<void>((r) => {
      reached = r;
    });
    let release!: () => void;
    slow = { reached: () => reached(), release: new Promise<void>((r) => (release = r)) };
    await book('2026-03-05T10:00:00Z');
    await atProvider;
    // While the first send waits on the provider, more writes queue messages: the run in flight is
    // asked for another pass.
    for (const hour of ['11', '12', '13', '14']) await book(`2026-03-05T${hour}:00:00Z`);
    release();

    const statuses = async () =>
      (await app.request('GET', '/v1/messages', { key, query: { limit: 100 } })).body.items.map(
        (m: { status: string }) => m.status,
      ) as string[];
    await waitFor(async () => (await statuses()).includes('sent'));
    // Give a run that ignored its deadline the time to send the rest.
    await new Promise((r) => setTimeout(r, 300));
    expect((await statuses()).sort()).toEqual(['queued', 'queued', 'queued', 'queued', 'sent']);
    expect(provider.sent).toHaveLength(1);

    const report = await app.runScheduledJobs();
    expect(report.messages.sent).toBe(4);
    expect((await statuses()).every((status) => status === 'sent')).toBe(true);
    expect(provider.contractErrors).toEqual([]);
  });
});
