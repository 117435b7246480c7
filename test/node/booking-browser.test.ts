// The booking page in a real browser (Debian Chromium driven by playwright-core): a patient picks a
// service, a day and a time, types name and phone, and gets a confirmation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { bookingClinic } from '../support/booking.js';
import { answerFirstLate, launchChromium } from '../support/chromium.js';
import type { TestApp } from '../support/types.js';
import { appointmentsOf } from '../support/voice.js';

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

it('a patient books a free time on the public page', async () => {
  const b = await bookingClinic(app);
  // A time is taken already: the page must not offer it.
  await app.request('POST', '/v1/appointments', {
    key: b.clinic.key,
    body: {
      professionalId: b.rui.id,
      serviceTypeId: b.consulta.id,
      patientName: 'Xavier Melo',
      patientPhone: '+351912000009',
      startsAt: '2026-03-03T09:00:00Z',
    },
  });
  await app.request('POST', '/v1/appointments', {
    key: b.clinic.key,
    body: {
      professionalId: b.ana.id,
      serviceTypeId: b.consulta.id,
      patientName: 'Yara Lopes',
      patientPhone: '+351912000008',
      startsAt: '2026-03-03T09:00:00Z',
    },
  });
  const errors: string[] = [];
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${app.baseUrl!}/booking/${b.slug}`);
  // The first page load of a cold browser on a busy machine takes longer than poll's 1 s default.
  await expect
    .poll(() => page.locator('#service option').count(), { message: errors.join(' / '), timeout: 15_000 })
    .toBe(2);
  await page.selectOption('#service', b.consulta.id);
  // A day picked and left at once: its times answer late, after the chosen day's, and must not
  // join the chosen day's list.
  const late = await answerFirstLate(page, '**/api/slots?*');
  await page.fill('#date', '2026-03-04');
  await page.dispatchEvent('#date', 'change');
  await page.fill('#date', '2026-03-03');
  await page.dispatchEvent('#date', 'change');
  await page.locator('#slots .slot').first().waitFor();
  await late.answered();
  const times = await page.locator('#slots .slot').allTextContents();
  const offered = await app.request('GET', `/booking/${b.slug}/api/slots`, {
    query: { serviceTypeId: b.consulta.id, date: '2026-03-03' },
  });
  expect(times).toEqual(offered.body.slots.map((slot: { time: string }) => slot.time));
  expect(times[0]).toBe('09:30');
  expect(times).not.toContain('09:00');
  await page.click('#slots .slot >> text=10:00');
  await page.fill('#name', 'Maria Silva');
  await page.fill('#phone', '912 345 678');
  await page.click('#submit');
  await expect
    .poll(() => page.locator('#confirmation').textContent())
    .toMatch(
      /^Marcação confirmada: Consulta de rotina, 2026-03-03 10:00 com Dr\. Rui Lopes\. Referência [0-9A-F]{8}\.$/,
    );
  expect(errors).toEqual([]);
  const booked = (await appointmentsOf(app, b.clinic)).filter((a) => a.source === 'self_service');
  expect(booked).toMatchObject([{ patientName: 'Maria Silva', startsAt: '2026-03-03T10:00:00+00:00' }]);
  await page.close();
});

it('the page speaks the clinic language: pt-PT, pt-BR (with a +55 number), en, es', async () => {
  const cases = [
    {
      language: 'pt-PT',
      where: { country: 'PT', timezone: 'Europe/Lisbon' },
      title: 'Marcar consulta',
      phone: '912 345 678',
      e164: '+351912345678',
      booked:
        /^Marcação confirmada: Consulta de rotina, 2026-03-03 10:00 com Dr\. Rui Lopes\. Referência [0-9A-F]{8}\.$/,
    },
    {
      language: 'pt-BR',
      where: { country: 'BR', timezone: 'America/Sao_Paulo' },
      title: 'Agendar consulta',
      phone: '(11) 98765-4321',
      e164: '+5511987654321',
      booked:
        /^Agendamento confirmado: Consulta de rotina, 2026-03-03 10:00 com Dr\. Rui Lopes\. Referência [0-9A-F]{8}\.$/,
    },
    {
      language: 'en',
      where: { country: 'GB', timezone: 'Europe/London' },
      title: 'Book an appointment',
      phone: '07911 123456',
      e164: '+447911123456',
      booked: /^Booked: Consulta de rotina, 2026-03-03 10:00 with Dr\. Rui Lopes\. Reference [0-9A-F]{8}\.$/,
    },
    {
      language: 'es',
      where: { country: 'ES', timezone: 'Europe/Madrid' },
      title: 'Pedir cita',
      phone: '612 34 56 78',
      e164: '+34612345678',
      booked:
        /^Cita confirmada: Consulta de rotina, 2026-03-03 10:00 con Dr\. Rui Lopes\. Referencia [0-9A-F]{8}\.$/,
    },
  ];
  for (const c of cases) {
    const b = await bookingClinic(app, c.language, c.where);
    const errors: string[] = [];
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.baseUrl!}/booking/${b.slug}`);
    expect(await page.getAttribute('html', 'lang')).toBe(c.language);
    expect(await page.locator('h1').textContent()).toBe(`Clínica Sorriso: ${c.title}`);
    await expect.poll(() => page.locator('#service option').count(), { timeout: 15_000 }).toBe(2);
    await page.selectOption('#service', b.consulta.id);
    await page.fill('#date', '2026-03-03');
    await page.dispatchEvent('#date', 'change');
    await page.click('#slots .slot >> text=10:00');
    await page.fill('#name', 'Maria Silva');
    await page.fill('#phone', c.phone);
    await page.click('#submit');
    await expect
      .poll(() => page.locator('#confirmation').textContent(), { message: c.language, timeout: 15_000 })
      .toMatch(c.booked);
    expect(errors).toEqual([]);
    // The number typed the national way is the country's: found by its E.164 form.
    const found = await app.request('GET', '/v1/appointments', {
      key: b.clinic.key,
      query: { patientPhone: c.e164 },
    });
    expect(found.body.items).toHaveLength(1);
    await page.close();
  }
}, 180_000);
