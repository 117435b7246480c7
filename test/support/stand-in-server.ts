// A stand-in served over real HTTP on 127.0.0.1 (for services running as child processes, which
// reach providers only through the network), and the REST call those tests make to such a service.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface StandInServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `handler` on a free loopback port until `close` (which also drops open connections). */
export async function serveStandIn(handler: (request: Request) => Promise<Response>): Promise<StandInServer> {
  const server = await new Promise<ReturnType<typeof serve>>((ready) => {
    const s = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () => ready(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** A JSON call with an API key to a running service; anything but 2xx throws with the answer. */
export async function restCall(base: string, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => null)) as any;
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}
