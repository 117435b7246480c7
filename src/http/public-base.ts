// Where clients reach the service, for every URL the doors print or hand out (webhook and tool URLs,
// patient links, recording links) and for the URL a provider signed. It is the configured public
// base URL, never the Host header a client sends: Node always has one (PUBLIC_BASE_URL, required in
// production, else its own listening address). Only a Worker without the var falls back to the URL
// the request came in on, which Cloudflare's edge routed by the Worker's own host names.
import type { Context } from 'hono';
import type { AppEnv } from './env.js';

export const publicBase = (c: Context<AppEnv>): string =>
  c.var.deps.publicBaseUrl ?? new URL(c.req.url).origin;
