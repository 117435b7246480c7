// The forms a patient opens from a message's link (no login), in the appointment page's shell.
// /triagem/{token}: the triage form a patient opens from the link in a message (no login). It shows
// the service's questions in the clinic's words and the page in the clinic's language; the answers go
// to /triagem/{token}/api/answers once (a second submission is refused: already_answered), and the
// page then thanks the patient. Also /feedback/{token}, the same shape for rating an attended visit.
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { openFeedback, submitFeedback } from '../booking/feedback.js';
import { openTriage, submitTriage } from '../booking/triage.js';
import { AppError } from '../domain/errors.js';
import { languageOf } from '../domain/language.js';
import type { TriageQuestion } from '../domain/triage.js';
import type { AppEnv } from '../http/env.js';
import { bookingAttemptsPerIp } from '../http/rate-limit-middleware.js';
import { validationError } from '../http/router.js';
import { patientView } from './appointment-state.js';
import { PATIENT_FORM_SCRIPT } from './patient-form-script.js';
import { FEEDBACK_TEXT, TRIAGE_TEXT, type TriageText } from './patient-form-text.js';
import { ASSET_CACHE, linkProblemPage, patientPage, patientPageHeaders } from './patient-shell.js';

const SCRIPT_PATH = '/triagem/assets/form.js';

const AnswersBody = z
  .object({
    answers: z.record(z.string().max(100), z.union([z.string().max(5000), z.boolean(), z.null()])),
  })
  .strict();
const FeedbackBody = z
  .object({ rating: z.unknown(), comment: z.string().max(5000).nullable().optional() })
  .strict();

async function jsonOf<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new AppError('malformed_payload', 'The request body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

function question(q: TriageQuestion, t: TriageText) {
  const id = `q-${q.id}`;
  const label = html`${q.label}${q.required ? '' : html` <small>${t.optional}</small>`}`;
  if (q.type === 'text') {
    return html`<label for="${id}">${label}</label>
<textarea id="${id}" rows="3" maxlength="1000" data-field="${q.id}" data-type="text" data-required="${String(q.required)}"></textarea>`;
  }
  const choices: [string, string][] =
    q.type === 'yes_no'
      ? [
          ['true', t.yes],
          ['false', t.no],
        ]
      : (q.options ?? []).map((o) => [o, o]);
  return html`<fieldset id="${id}" data-field="${q.id}" data-type="${q.type}" data-required="${String(q.required)}">
<legend>${label}</legend>
${choices.map(([value, shown]) => html`<label><input type="radio" name="${id}" value="${value}"> ${shown}</label>`)}
</fieldset>`;
}

const noStore = { 'Cache-Control': 'no-store' };

export const patientForms = new Hono<AppEnv>()
  .get(SCRIPT_PATH, (c) =>
    c.body(PATIENT_FORM_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': ASSET_CACHE,
    }),
  )
  .get('/triagem/:token', patientPageHeaders, async (c) => {
    const token = c.req.param('token');
    let form: Awaited<ReturnType<typeof openTriage>>;
    try {
      form = await openTriage(c.var.deps, token);
    } catch (error) {
      return linkProblemPage(c, error, (lang) => TRIAGE_TEXT[lang]);
    }
    const lang = languageOf(form.tenant.config.language);
    const t = TRIAGE_TEXT[lang];
    const v = await patientView(c.var.deps, form);
    const open = v.state === 'pending' || v.state === 'confirmed';
    // No questions (the clinic removed them since the link went): nothing to answer.
    const state = form.answered ? 'done' : open && form.questions.length > 0 ? 'open' : 'closed';
    return patientPage(c, {
      lang,
      title: `${t.title} · ${v.clinicName}`,
      texts: t,
      script: SCRIPT_PATH,
      body: html`<main id="triage">
<h1>${v.clinicName}: ${t.title}</h1>
<dl>
${v.serviceName === null ? '' : html`<dt>${v.serviceName}</dt>`}
<dd id="when">${v.date} ${v.time} · ${v.professionalName}</dd>
</dl>
${
  state === 'open'
    ? html`<p>${t.intro}</p>
<form id="patient-form" data-action="/triagem/${token}/api/answers" data-wrap="answers" novalidate>
${form.questions.map((q) => question(q, t))}
<button id="send" type="submit">${t.send}</button>
</form>`
    : html`<p id="state" class="state ${state === 'done' ? 'confirmed' : 'cancelled'}" role="status" data-state="${state}">${state === 'done' ? t.done : t.closed}</p>`
}
<p id="error" class="error" role="alert" hidden></p>
</main>`,
    });
  })
  .post('/triagem/:token/api/answers', bookingAttemptsPerIp, async (c) => {
    const { answers } = await jsonOf(c, AnswersBody);
    const triage = await submitTriage(c.var.deps, c.req.param('token'), answers);
    return c.json({ state: triage.status }, 200, noStore);
  })
  .get('/feedback/:token', patientPageHeaders, async (c) => {
    const token = c.req.param('token');
    let form: Awaited<ReturnType<typeof openFeedback>>;
    try {
      form = await openFeedback(c.var.deps, token);
    } catch (error) {
      return linkProblemPage(c, error, (lang) => FEEDBACK_TEXT[lang]);
    }
    const lang = languageOf(form.tenant.config.language);
    const t = FEEDBACK_TEXT[lang];
    const v = await patientView(c.var.deps, form);
    const state = form.given ? 'done' : form.appointment.status === 'attended' ? 'open' : 'closed';
    return patientPage(c, {
      lang,
      title: `${t.title} · ${v.clinicName}`,
      texts: t,
      script: SCRIPT_PATH,
      body: html`<main id="feedback">
<h1>${v.clinicName}: ${t.title}</h1>
<p id="when">${v.date} ${v.time} · ${v.professionalName}</p>
${
  state === 'open'
    ? html`<form id="patient-form" data-action="/feedback/${token}/api/feedback" novalidate>
<fieldset id="rating" data-field="rating" data-type="number" data-required="true">
<legend>${t.intro} ${t.rating}</legend>
${[1, 2, 3, 4, 5].map((n) => html`<label><input type="radio" name="rating" value="${n}"> ${n}</label>`)}
</fieldset>
<label for="comment">${t.comment}</label>
<textarea id="comment" rows="4" maxlength="1000" data-field="comment" data-type="text"></textarea>
<button id="send" type="submit">${t.send}</button>
</form>`
    : html`<p id="state" class="state ${state === 'done' ? 'confirmed' : 'cancelled'}" role="status" data-state="${state}">${state === 'done' ? t.done : t.closed}</p>`
}
<p id="error" class="error" role="alert" hidden></p>
</main>`,
    });
  })
  .post('/feedback/:token/api/feedback', bookingAttemptsPerIp, async (c) => {
    const body = await jsonOf(c, FeedbackBody);
    await submitFeedback(c.var.deps, c.req.param('token'), body);
    return c.json({ state: 'received' }, 200, noStore);
  });
