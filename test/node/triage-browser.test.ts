// The triage and feedback forms in a real browser (Debian Chromium driven by playwright-core): the
// patient opens the link from the SMS the clinic sent, answers, submits, and the PMS reads the
// answers through the API; after the visit, the patient rates it from the feedback link.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { launchChromium } from '../support/chromium.js';
import { appointmentBody, nextPhone, setupClinic } from '../support/factories.js';
import { messageStandIn, TWILIO_SID, TWILIO_TOKEN } from '../support/message-stand-ins.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
let browser: Browser;
const provider = messageStandIn();
beforeAll(async () => {
  app = await startTestApp({ messageStandIn: provider.handler });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A clinic in `language` sending SMS, whose service asks three questions and sends them on booking. */
async function clinicWithTriage(lang: string) {
  const s = await setupClinic(app, { name: 'Clínica Sorriso' });
  const key = s.clinic.key;
  const language = await app.request('PATCH', '/v1/tenants/me', {
    key,
    body: { config: { language: lang } },
  });
  expect(language.status).toBe(200);
  const put = async (path: string, body: unknown) => {
    const reply = await app.request('PUT', path, { key, body });
    expect(reply.status, reply.text).toBe(200);
  };
  await put('/v1/messaging/senders/sms', {
    provider: 'twilio',
    from: '+351300000001',
    credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
  });
  await put('/v1/messaging/settings', {
    enabled: true,
    confirmationSources: [],
    reminderHours: 0,
    feedbackAfterAttended: true,
  });
  await put(`/v1/services/${s.service.id}/triage`, {
    sendOnBooking: true,
    questions: [
      { id: 'allergies', type: 'yes_no', label: 'Allergic to any medicine?' },
      { id: 'pain', type: 'choice', label: 'Pain now?', options: ['None', 'Mild', 'Severe'] },
      { id: 'notes', type: 'text', label: 'Anything else?', required: false },
    ],
  });
  return { ...s, key };
}

async function linkFor(phone: string, page: string) {
  await app.runScheduledJobs();
  const body = provider.sent.filter((m) => m.to === phone).at(-1)?.body ?? '';
  const match = new RegExp(`https?://[^/\\s]+(/${page}/[\\w-]{64})`).exec(body);
  expect(match, body).not.toBeNull();
  return match![1]!;
}

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const errors: string[] = [];
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${app.baseUrl!}${path}`, { timeout: 15_000 });
  return { page, errors };
}

it.each([
  {
    language: 'pt-PT',
    title: 'Perguntas antes da consulta',
    done: 'Obrigado! As suas respostas foram enviadas à clínica.',
  },
  {
    language: 'en',
    title: 'Questions before your appointment',
    done: 'Thank you! Your answers were sent to the clinic.',
  },
])('a patient answers the triage from the SMS link and the PMS reads it ($language)', async (c) => {
  const s = await clinicWithTriage(c.language);
  const phone = nextPhone();
  const booked = await app.request('POST', '/v1/appointments', {
    key: s.key,
    body: appointmentBody(s, '2026-03-04T10:00:00Z', { patientPhone: phone }),
  });
  expect(booked.status).toBe(201);
  const { page, errors } = await open(await linkFor(phone, 'triagem'));
  expect(await page.locator('h1').textContent()).toBe(`Clínica Sorriso: ${c.title}`);
  // Submitting with a required question unanswered says so and sends nothing.
  await page.click('#send');
  await expect.poll(() => page.locator('#error').isVisible()).toBe(true);
  await page.check('#q-allergies input[value="true"]');
  await page.check('#q-pain input[value="Mild"]');
  await page.fill('#q-notes', 'Penicillin makes me ill');
  await page.click('#send');
  await expect
    .poll(() => page.locator('#state').getAttribute('data-state'), { timeout: 15_000 })
    .toBe('done');
  expect(await page.locator('#state').textContent()).toBe(c.done);
  expect(await page.locator('#patient-form').count()).toBe(0);
  expect(errors).toEqual([]);
  const triage = await app.request('GET', `/v1/appointments/${booked.body.id}/triage`, { key: s.key });
  expect(triage.body.status).toBe('completed');
  expect(triage.body.answers.map((a: { id: string; answer: unknown }) => [a.id, a.answer])).toEqual([
    ['allergies', true],
    ['pain', 'Mild'],
    ['notes', 'Penicillin makes me ill'],
  ]);
  await page.close();
});

it('after an attended visit the patient rates it from the SMS link and the PMS reads the rating', async () => {
  const s = await clinicWithTriage('pt-PT');
  const phone = nextPhone();
  const booked = await app.request('POST', '/v1/appointments', {
    key: s.key,
    body: appointmentBody(s, '2026-03-02T10:00:00Z', { patientPhone: phone }),
  });
  expect(booked.status).toBe(201);
  app.setNow(Date.parse('2026-03-02T10:45:00Z'));
  expect(
    (await app.request('POST', `/v1/appointments/${booked.body.id}/attend`, { key: s.key })).status,
  ).toBe(200);
  const { page, errors } = await open(await linkFor(phone, 'feedback'));
  await page.check('#rating input[value="5"]');
  await page.fill('#comment', 'Excelente atendimento');
  await page.click('#send');
  await expect
    .poll(() => page.locator('#state').getAttribute('data-state'), { timeout: 15_000 })
    .toBe('done');
  expect(await page.locator('#state').textContent()).toBe('Obrigado pela sua opinião!');
  expect(errors).toEqual([]);
  const feedback = await app.request('GET', `/v1/appointments/${booked.body.id}/feedback`, { key: s.key });
  expect(feedback.body).toMatchObject({ status: 'received', rating: 5, comment: 'Excelente atendimento' });
  await page.close();
});
