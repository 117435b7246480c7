// Request building and reply parsing shared by the harnesses (plain fetch, no Node APIs).
import type { Reply, RequestOptions } from './types.js';

/** Monday 2 March 2026, 09:00 in Lisbon (UTC+0): the default "now" of the service under test. */
export const DEFAULT_NOW = Date.parse('2026-03-02T09:00:00Z');

/** Tests of other behaviour should not trip the limits (the test clock often stands still). */
export const UNLIMITED = {
  perKeyPerMinute: 1e9,
  perKeyPerSecond: 1e9,
  perIpPerMinute: 1e9,
  authFailuresPerMinute: 1e9,
  bookingsPerIpPerHour: 1e9,
};

export function buildRequest(base: string, method: string, path: string, opts: RequestOptions) {
  const url = new URL(path, base);
  for (const [name, value] of Object.entries(opts.query ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
  }
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  return { url: url.toString(), init: { method, headers, body } satisfies RequestInit };
}

export async function parseReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: unknown = null;
  if (text && response.headers.get('content-type')?.includes('json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body, text };
}
