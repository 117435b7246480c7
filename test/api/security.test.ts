// Per route: no key, malformed header, unknown, expired, revoked key, wrong scope, suspended clinic,
// another clinic's id. Generated from the route table so no route is forgotten.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp } from '#harness';
import { SCOPES } from '../../src/accounts/scopes.js';
import { createResources, describeRoute, type Resources, ROUTES, type RouteCase } from '../support/routes.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
let mine: Resources;
let theirs: Resources;
let expiredKey: string;
let revokedKey: string;

beforeAll(async () => {
  // POST /v1/calls/{id}/callback dials through the local platform stand-in.
  app = await startTestApp({ platformApiBaseUrls: { vapi: `${inject('platformStandIn')}/vapi` } });
  mine = await createResources(app);
  theirs = await createResources(app);
  expiredKey = (await app.createKey(mine.clinic.tenantId, ['*'], { expiresInDays: 1 })).key;
  const revoked = await app.createKey(mine.clinic.tenantId, ['*']);
  await app.revokeKey(revoked.keyId);
  revokedKey = revoked.key;
});
afterAll(() => app.close());

/** Runs a request at the route's own clock when it has one (then puts the clock back). */
async function atRouteClock<T>(route: RouteCase, run: () => Promise<T>): Promise<T> {
  if (route.at === undefined) return run();
  const before = app.now();
  app.setNow(route.at);
  try {
    return await run();
  } finally {
    app.setNow(before);
  }
}

const call = (
  route: RouteCase,
  r: Resources,
  opts: { key?: string | null; headers?: Record<string, string> },
) => atRouteClock(route, () => app.request(route.method, route.path(r), { ...opts, body: route.body?.(r) }));

describe.each(ROUTES.map((route) => [describeRoute(route), route] as const))('%s', (_name, route) => {
  it('401 malformed_auth_header without a key or with a malformed header', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer' },
      { authorization: 'miv_live_x' },
    ];
    for (const headers of variants) {
      const reply = await call(route, mine, { key: null, headers });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('malformed_auth_header');
      expect(reply.body.requestId).toBeTruthy();
    }
  });

  it('401 invalid_api_key for an unknown or revoked key', async () => {
    for (const key of [`miv_live_${'A'.repeat(43)}`, 'miv_test_short', 'sk_live_something', revokedKey]) {
      const reply = await call(route, mine, { key });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_api_key');
    }
  });

  it('401 expired_api_key for an expired key', async () => {
    const now = app.now();
    app.setNow(now + 2 * 86_400_000);
    try {
      const reply = await call(route, mine, { key: expiredKey });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('expired_api_key');
    } finally {
      app.setNow(now);
    }
  });

  it('403 insufficient_scope with every other scope', async () => {
    const others = SCOPES.filter((s) => s !== route.scope);
    const { key } = await app.createKey(mine.clinic.tenantId, others);
    const reply = await call(route, mine, { key });
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe('insufficient_scope');
    expect(reply.body.message).toContain(route.scope);
  });

  it('403 tenant_inactive for a suspended clinic', async () => {
    const suspended = await createResources(app);
    await app.setTenantStatus(suspended.clinic.tenantId, 'canceled');
    const reply = await call(route, suspended, { key: suspended.clinic.key });
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe('tenant_inactive');
  });

  it('succeeds with exactly its scope', async () => {
    const fresh = await createResources(app);
    const { key } = await app.createKey(fresh.clinic.tenantId, [route.scope as never]);
    const reply = await call(route, fresh, { key });
    expect(reply.status).toBeLessThan(300);
  });

  if (route.owned) {
    it("404 for another clinic's id, which stays untouched", async () => {
      const reply = await call(route, theirs, { key: mine.clinic.key });
      expect(reply.status).toBe(404);
      expect(reply.body.error).toMatch(/_not_found$/);
      const owner = await app.request(
        'GET',
        route
          .path(theirs)
          .replace(
            /\/(cancel|attend|no-show|reschedule|history|rotate-secret|deliveries|callback|recording|patient-link|triage\/send)$/,
            '',
          )
          .replace(/\/exceptions\/[^/]+$/, '/exceptions'),
        {
          key: theirs.clinic.key,
        },
      );
      expect(owner.status).toBe(200);
    });
  }
});
