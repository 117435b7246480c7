// GET /a/{token}: the patient's own appointment page, opened from the link in a confirmation or
// reminder. Server-rendered in the clinic's language under the booking page's strict CSP; the
// buttons (confirm, cancel, pick another time) call /a/{token}/api/* through a static script and
// reload the page to show the new state. A past or cancelled appointment shows its state and no
// buttons; a link that is not valid or has expired gets a plain page saying so, never an error. The
// shell (style, CSP, that plain page) is src/web/patient-shell.ts, shared with triage and feedback.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { openPatientLink } from '../booking/patient-link.js';
import { languageOf } from '../domain/language.js';
import type { AppEnv } from '../http/env.js';
import { APPOINTMENT_SCRIPT } from './appointment-script.js';
import { patientView } from './appointment-state.js';
import { APPOINTMENT_TEXT } from './appointment-text.js';
import {
  ASSET_CACHE,
  linkProblemPage,
  PATIENT_STYLE,
  PATIENT_STYLE_PATH,
  patientPage,
  patientPageHeaders,
} from './patient-shell.js';

export const appointmentPage = new Hono<AppEnv>()
  .get('/a/assets/appointment.js', (c) =>
    c.body(APPOINTMENT_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': ASSET_CACHE,
    }),
  )
  .get(PATIENT_STYLE_PATH, (c) =>
    c.body(PATIENT_STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': ASSET_CACHE }),
  )
  .get('/a/:token', patientPageHeaders, async (c) => {
    const token = c.req.param('token');
    let link: Awaited<ReturnType<typeof openPatientLink>>;
    try {
      link = await openPatientLink(c.var.deps, token);
    } catch (error) {
      return linkProblemPage(c, error, (lang) => APPOINTMENT_TEXT[lang]);
    }
    const lang = languageOf(link.tenant.config.language);
    const t = APPOINTMENT_TEXT[lang];
    const v = await patientView(c.var.deps, link);
    const today = v.startsAt.slice(0, 10);
    return patientPage(c, {
      lang,
      title: `${t.title} · ${v.clinicName}`,
      texts: t,
      script: '/a/assets/appointment.js',
      body: html`<main id="appointment" data-token="${token}" data-day="${today}">
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
</main>`,
    });
  });
