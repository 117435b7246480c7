// GET /a/{token}: the patient's own appointment page, opened from the link in a confirmation or
// reminder. Server-rendered in the clinic's language under the booking page's strict CSP; the
// buttons (confirm, cancel, pick another time) call /a/{token}/api/* through a static script and
// reload the page to show the new state. A past or cancelled appointment shows its state and no
// buttons; a link that is not valid or has expired gets a plain page saying so, never an error.
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import { openPatientLink } from '../booking/patient-link.js';
import { AppError } from '../domain/errors.js';
import { type Language, languageOf } from '../domain/language.js';
import type { AppEnv } from '../http/env.js';
import { APPOINTMENT_SCRIPT } from './appointment-script.js';
import { patientView } from './appointment-state.js';
import { APPOINTMENT_TEXT } from './appointment-text.js';

const HTML_LANG: Record<Language, string> = { pt: 'pt-PT', 'pt-BR': 'pt-BR', en: 'en', es: 'es' };

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.4rem}dt{font-weight:600;margin-top:.6rem}dd{margin:0}.state{margin:1.2rem 0;padding:.8rem;border-radius:.4rem;background:#eef2f7}
.state.confirmed{background:#e7f5ea}.state.cancelled{background:#fbe9eb}.actions button,#move-submit{display:block;width:100%;margin:.5rem 0;padding:.7rem;font-size:1rem}
input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}label{display:block;margin:.8rem 0 .3rem;font-weight:600}
.slots{display:flex;flex-wrap:wrap;gap:.4rem}.slot{padding:.5rem .8rem;font-size:1rem;cursor:pointer}
.slot[aria-pressed=true]{background:#1d6fd6;color:#fff}.error{color:#b00020}`;

const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
  },
  // The token is in the URL: never sent on to another site.
  referrerPolicy: 'no-referrer',
});

const ASSET_CACHE = 'public, max-age=300';

export const appointmentPage = new Hono<AppEnv>()
  .get('/a/assets/appointment.js', (c) =>
    c.body(APPOINTMENT_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': ASSET_CACHE,
    }),
  )
  .get('/a/assets/appointment.css', (c) =>
    c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': ASSET_CACHE }),
  )
  .get('/a/:token', pageHeaders, async (c) => {
    c.header('Cache-Control', 'private, no-store');
    const token = c.req.param('token');
    let link: Awaited<ReturnType<typeof openPatientLink>>;
    try {
      link = await openPatientLink(c.var.deps, token);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // No clinic is known: the visitor's own language.
      const lang = languageOf(c.req.header('accept-language')?.split(/[,;]/)[0]);
      const t = APPOINTMENT_TEXT[lang];
      const expired = error.code === 'link_expired';
      return c.html(
        html`<!doctype html>
<html lang="${HTML_LANG[lang]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title><link rel="stylesheet" href="/a/assets/appointment.css"></head>
<body><main><h1>${t.title}</h1><p id="state" class="state cancelled">${expired ? t.expired : t.invalid}</p></main></body></html>`,
        expired ? 410 : 404,
      );
    }
    const lang = languageOf(link.tenant.config.language);
    const t = APPOINTMENT_TEXT[lang];
    const v = await patientView(c.var.deps, link);
    const today = v.startsAt.slice(0, 10);
    return c.html(html`<!doctype html>
<html lang="${HTML_LANG[lang]}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} · ${v.clinicName}</title>
<link rel="stylesheet" href="/a/assets/appointment.css">
</head>
<body>
<main id="appointment" data-token="${token}" data-day="${today}">
<h1>${v.clinicName}: ${t.title}</h1>
<dl>
${v.serviceName === null ? '' : html`<dt>${t.service}</dt><dd id="service">${v.serviceName}</dd>`}
<dt>${t.professional}</dt><dd id="professional">${v.professionalName}</dd>
<dt>${t.when}</dt><dd id="when">${v.date} ${v.time}</dd>
<dt>${t.clinic}</dt><dd id="clinic">${v.clinicName}</dd>
</dl>
<p id="state" class="state ${v.state}" role="status" data-state="${v.state}">${t[v.state]}</p>
${
  v.canChange
    ? html`<div id="actions" class="actions">
${v.state === 'pending' ? html`<button id="confirm" type="button">${t.confirm}</button>` : ''}
${v.canMove ? html`<button id="move" type="button">${t.move}</button>` : ''}
<button id="cancel" type="button">${t.cancel}</button>
<button id="cancel-sure" type="button" hidden>${t.cancelSure}</button>
</div>
<div id="chooser" hidden>
<label for="date">${t.day}</label><input id="date" type="date">
<p id="slots-status" hidden></p><div id="slots" class="slots" role="group"></div>
<button id="move-submit" type="button" hidden>${t.moveHere}</button>
</div>`
    : ''
}
<p id="error" class="error" role="alert" hidden></p>
</main>
<script id="appointment-text" type="application/json">${raw(JSON.stringify(t).replace(/</g, '\\u003c'))}</script>
<script src="/a/assets/appointment.js" defer></script>
</body>
</html>`);
  });
