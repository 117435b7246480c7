// GET /docs: the interactive API reference (Scalar). People paste API keys into this page, so the
// script it runs is pinned to one version, checked by Subresource Integrity, and the page carries a
// CSP that allows nothing else: a changed or hijacked CDN file is refused by the browser.
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';

/** The standalone bundle of @scalar/api-reference at a fixed version (jsDelivr serves npm files as published). */
export const SCALAR_SCRIPT = {
  url: 'https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.76.0/dist/browser/standalone.js',
  // sha384 of dist/browser/standalone.js in the npm tarball of @scalar/api-reference 1.76.0. To upgrade:
  // `npm pack @scalar/api-reference@X`, hash that file (openssl dgst -sha384 -binary | base64), change both.
  integrity: 'sha384-oH1C0RwqcwbVXkC+r8A+4qRoyEUQdtxAzOwumkxZtQBBcsy61FOoPt7B50OVJYYQ',
};

// Scalar injects its styles at run time (hence inline styles); fonts are turned off so that no other
// origin is contacted; "try it" requests go to this origin only.
const csp = (nonce: string) =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${SCALAR_SCRIPT.url}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const page = (nonce: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>agendai API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script nonce="${nonce}" src="${SCALAR_SCRIPT.url}" integrity="${SCALAR_SCRIPT.integrity}" crossorigin="anonymous" referrerpolicy="no-referrer"></script>
    <script nonce="${nonce}">
      Scalar.createApiReference('#app', { url: '/openapi.json', withDefaultFonts: false });
    </script>
  </body>
</html>`;

export const docsPage = new Hono<AppEnv>().get('/docs', (c) => {
  const nonce = crypto.randomUUID().replaceAll('-', '');
  c.header('Content-Security-Policy', csp(nonce));
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  return c.html(page(nonce));
});
