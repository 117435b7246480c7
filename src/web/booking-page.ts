// GET /booking/:slug: the clinic's public booking page (server-rendered shell + a static script).
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../domain/errors.js';
import { type Language, languageOf } from '../domain/language.js';
import type { AppEnv } from '../http/env.js';
import { BOOKING_SCRIPT } from './booking-script.js';
import { publicClinic } from './clinic.js';

// The page in the clinic's language (config.language: pt-PT, pt-BR, en, es).
const TEXT: Record<Language, Record<string, string>> = {
  pt: {
    title: 'Marcar consulta',
    service: 'Serviço',
    day: 'Dia',
    time: 'Hora',
    name: 'Nome completo',
    phone: 'Telemóvel',
    notes: 'Motivo da consulta (opcional)',
    submit: 'Confirmar marcação',
    loading: 'A procurar vagas…',
    noSlots: 'Não há vagas neste dia. Escolha outro dia.',
    taken: 'Essa hora acabou de ser ocupada. Escolha outra, por favor.',
    badPhone: 'Verifique o número de telemóvel.',
    badName: 'Escreva o nome completo.',
    failed: 'Não foi possível marcar. Tente de novo.',
    booked: 'Marcação confirmada: {service}, {when} com {who}. Referência {reference}.',
  },
  en: {
    title: 'Book an appointment',
    service: 'Service',
    day: 'Day',
    time: 'Time',
    name: 'Full name',
    phone: 'Mobile phone',
    notes: 'Reason for the visit (optional)',
    submit: 'Confirm booking',
    loading: 'Looking for free times…',
    noSlots: 'Nothing is free on this day. Please pick another day.',
    taken: 'That time was just taken. Please pick another.',
    badPhone: 'Please check the phone number.',
    badName: 'Please write your full name.',
    failed: 'The booking did not go through. Please try again.',
    booked: 'Booked: {service}, {when} with {who}. Reference {reference}.',
  },
  'pt-BR': {
    title: 'Agendar consulta',
    service: 'Serviço',
    day: 'Dia',
    time: 'Horário',
    name: 'Nome completo',
    phone: 'Celular',
    notes: 'Motivo da consulta (opcional)',
    submit: 'Confirmar agendamento',
    loading: 'Buscando horários…',
    noSlots: 'Não tem horário neste dia. Escolha outro dia.',
    taken: 'Esse horário acabou de ser ocupado. Escolha outro, por favor.',
    badPhone: 'Confira o número do celular, com DDD.',
    badName: 'Digite o nome completo.',
    failed: 'Não foi possível agendar. Tente de novo.',
    booked: 'Agendamento confirmado: {service}, {when} com {who}. Referência {reference}.',
  },
  es: {
    title: 'Pedir cita',
    service: 'Servicio',
    day: 'Día',
    time: 'Hora',
    name: 'Nombre completo',
    phone: 'Móvil',
    notes: 'Motivo de la consulta (opcional)',
    submit: 'Confirmar cita',
    loading: 'Buscando horas libres…',
    noSlots: 'No hay horas libres este día. Elija otro día.',
    taken: 'Esa hora acaba de ocuparse. Elija otra, por favor.',
    badPhone: 'Revise el número de móvil.',
    badName: 'Escriba el nombre completo.',
    failed: 'No se pudo reservar. Inténtelo de nuevo.',
    booked: 'Cita confirmada: {service}, {when} con {who}. Referencia {reference}.',
  },
};
const HTML_LANG: Record<Language, string> = { pt: 'pt-PT', 'pt-BR': 'pt-BR', en: 'en', es: 'es' };

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .3rem;font-weight:600}
select,input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
.slots{display:flex;flex-wrap:wrap;gap:.4rem}.slot{padding:.5rem .8rem;font-size:1rem;cursor:pointer}
.slot[aria-pressed=true]{background:#1d6fd6;color:#fff}button[type=submit]{margin-top:1rem;padding:.7rem 1rem;font-size:1rem}
.error{color:#b00020}.confirmation{background:#e7f5ea;padding:1rem;border-radius:.4rem}.hp{position:absolute;left:-9999px}`;

const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

export const bookingPage = new Hono<AppEnv>()
  // Browsers ask for it on every page; there is none.
  .get('/favicon.ico', (c) => c.body(null, 204))
  .get('/booking/assets/booking.js', (c) =>
    c.body(BOOKING_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    }),
  )
  .get('/booking/assets/booking.css', (c) =>
    c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300' }),
  )
  .get('/booking/:slug', pageHeaders, async (c) => {
    const slug = c.req.param('slug');
    let clinic: Awaited<ReturnType<typeof publicClinic>>;
    try {
      clinic = await publicClinic(c.var.deps, slug);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return c.html(html`<!doctype html><title>404</title><p>${error.message}</p>`, 404);
    }
    const lang = languageOf(clinic.config.language);
    const t = TEXT[lang];
    return c.html(html`<!doctype html>
<html lang="${HTML_LANG[lang]}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} · ${clinic.name}</title>
<link rel="stylesheet" href="/booking/assets/booking.css">
</head>
<body>
<main id="booking" data-slug="${slug}">
<h1>${clinic.name}: ${t.title}</h1>
<div id="chooser">
<label for="service">${t.service}</label><select id="service" required></select>
<label for="date">${t.day}</label><input id="date" type="date" required>
<label>${t.time}</label><p id="slots-status" hidden></p><div id="slots" class="slots" role="group"></div>
</div>
<form id="details" hidden>
<label for="name">${t.name}</label><input id="name" autocomplete="name" required minlength="2" maxlength="200">
<label for="phone">${t.phone}</label><input id="phone" type="tel" autocomplete="tel" required>
<label for="notes">${t.notes}</label><input id="notes" maxlength="1000">
<input id="website" class="hp" tabindex="-1" autocomplete="off" aria-hidden="true">
<button id="submit" type="submit">${t.submit}</button>
</form>
<p id="error" class="error" role="alert" hidden></p>
<p id="confirmation" class="confirmation" role="status" hidden></p>
</main>
<script id="booking-text" type="application/json">${raw(JSON.stringify(t).replace(/</g, '\\u003c'))}</script>
<script src="/booking/assets/booking.js" defer></script>
</body>
</html>`);
  });
