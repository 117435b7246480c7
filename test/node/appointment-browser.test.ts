// The patient's appointment page in a real browser (Debian Chromium driven by playwright-core):
// opened from its link, the patient confirms, picks another time, and cancels, in two languages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { bookedWithLink } from '../support/booking.js';
import { answerFirstLate, launchChromium } from '../support/chromium.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  app = await startTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const errors: string[] = [];
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${app.baseUrl!}${path}`, { timeout: 15_000 });
  return { page, errors };
}

const stateOf = (page: Page) => page.locator('#state').getAttribute('data-state');

it.each([
  {
    language: 'pt-PT',
    where: { country: 'PT', timezone: 'Europe/Lisbon' },
    confirmed: 'Consulta confirmada. Obrigado!',
    cancelled: 'Esta consulta foi cancelada.',
    when: '04/03/2026 09:30',
  },
  {
    language: 'en',
    where: { country: 'GB', timezone: 'Europe/London' },
    confirmed: 'Appointment confirmed. Thank you!',
    cancelled: 'This appointment was cancelled.',
    when: '4 Mar 2026 09:30',
  },
])('a patient confirms, moves and cancels on their page ($language)', async (c) => {
  const { b, id, path } = await bookedWithLink(app, c.language, c.where);
  const { page, errors } = await open(path);
  // Confirm: the page reloads with the new state and no confirm button.
  await page.click('#confirm', { timeout: 15_000 });
  await expect.poll(() => page.locator('#state').textContent(), { timeout: 15_000 }).toBe(c.confirmed);
  expect(await page.locator('#confirm').count()).toBe(0);
  // Pick another time: a day, a free time, move. The first day's times (the visit's own day, asked
  // for when the chooser opens) answer late, after the chosen day's: they must not join its list.
  const late = await answerFirstLate(page, '**/slots?date=*');
  await page.click('#move');
  await page.fill('#date', '2026-03-04');
  await page.dispatchEvent('#date', 'change');
  await page.locator('#slots .slot').first().waitFor();
  await late.answered();
  expect(await page.locator('#slots .slot >> text=09:30').count()).toBe(1);
  await page.click('#slots .slot >> text=09:30');
  await page.click('#move-submit');
  await expect.poll(() => page.locator('#when').textContent(), { timeout: 15_000 }).toBe(c.when);
  const moved = await app.request('GET', `/v1/appointments/${id}`, { key: b.clinic.key });
  expect(moved.body).toMatchObject({ status: 'rescheduled', startsAt: '2026-03-04T09:30:00+00:00' });
  // Cancel asks once more, then the page shows the state and no buttons.
  await page.click('#cancel');
  await page.click('#cancel-sure');
  await expect.poll(() => stateOf(page), { timeout: 15_000 }).toBe('cancelled');
  expect(await page.locator('#state').textContent()).toBe(c.cancelled);
  expect(await page.locator('#actions').count()).toBe(0);
  expect(errors).toEqual([]);
  const cancelled = await app.request('GET', `/v1/appointments/${id}`, { key: b.clinic.key });
  expect(cancelled.body.status).toBe('cancelled');
  await page.close();
});
