// The shell every page a patient opens from a link shares (the appointment page /a, the triage form
// /triagem, the feedback form /feedback): one stylesheet, the strict CSP, no referrer (the token is
// in the URL), never cached, the page's texts as JSON for its static script, and one plain page for a
// link that is not valid or has expired (never an error envelope: a patient reads it).
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { HtmlEscapedString } from 'hono/utils/html';
import { AppError } from '../domain/errors.js';
import { type Language, languageOf } from '../domain/language.js';
import type { AppEnv } from '../http/env.js';

export const HTML_LANG: Record<Language, string> = { pt: 'pt-PT', 'pt-BR': 'pt-BR', en: 'en', es: 'es' };

export const PATIENT_STYLE_PATH = '/a/assets/appointment.css';

export const PATIENT_STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.4rem}dt{font-weight:600;margin-top:.6rem}dd{margin:0}.state{margin:1.2rem 0;padding:.8rem;border-radius:.4rem;background:#eef2f7}
.state.confirmed{background:#e7f5ea}.state.cancelled{background:#fbe9eb}.actions button,#move-submit,#send{display:block;width:100%;margin:.5rem 0;padding:.7rem;font-size:1rem}
input,textarea{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}label{display:block;margin:.8rem 0 .3rem;font-weight:600}
.slots{display:flex;flex-wrap:wrap;gap:.4rem}.slot{padding:.5rem .8rem;font-size:1rem;cursor:pointer}
.slot[aria-pressed=true]{background:#1d6fd6;color:#fff}.error{color:#b00020}
fieldset{border:0;margin:1rem 0;padding:0}legend{font-weight:600;margin-bottom:.4rem}
fieldset label{display:inline-flex;align-items:center;gap:.4rem;margin:.2rem 1rem .2rem 0;font-weight:400}fieldset input{width:auto}`;

/** Strict CSP (no inline script or style), no framing, and no referrer: the token is in the URL. */
export const patientPageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
});

export const ASSET_CACHE = 'public, max-age=300';

type Body = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A full page in the shell: `texts` go to the script as JSON, `script` is a static asset's path. */
export function patientPage(
  c: Context<AppEnv>,
  page: { lang: Language; title: string; body: Body; texts?: unknown; script?: string },
  status: 200 | 404 | 410 = 200,
) {
  c.header('Cache-Control', 'private, no-store');
  return c.html(
    html`<!doctype html>
<html lang="${HTML_LANG[page.lang]}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<link rel="stylesheet" href="${PATIENT_STYLE_PATH}">
</head>
<body>
${page.body}
${
  page.texts === undefined
    ? ''
    : html`<script id="page-text" type="application/json">${raw(JSON.stringify(page.texts).replace(/</g, '\\u003c'))}</script>`
}
${page.script ? html`<script src="${page.script}" defer></script>` : ''}
</body>
</html>`,
    status,
  );
}

/**
 * A link that does not open: expired (410) or not valid (404), said in the visitor's own language
 * (no clinic is known). Anything else is not the patient's problem and goes to the error handler.
 */
export function linkProblemPage(
  c: Context<AppEnv>,
  error: unknown,
  textsOf: (lang: Language) => { title: string; invalid: string; expired: string },
) {
  if (!(error instanceof AppError)) throw error;
  const lang = languageOf(c.req.header('accept-language')?.split(/[,;]/)[0]);
  const t = textsOf(lang);
  const expired = error.code === 'link_expired';
  return patientPage(
    c,
    {
      lang,
      title: t.title,
      body: html`<main><h1>${t.title}</h1><p id="state" class="state cancelled">${expired ? t.expired : t.invalid}</p></main>`,
    },
    expired ? 410 : 404,
  );
}
