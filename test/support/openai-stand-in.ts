// A local stand-in for the parts of OpenAI a Realtime SIP call touches: POST /v1/realtime/calls/{id}/accept
// and …/refer, and the sideband WebSocket /v1/realtime?call_id={id}. HTTPS/WSS on 127.0.0.1 with a self-signed
// certificate that this process is told to trust (the SDK always dials wss:, so plain ws cannot stand in).
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { type WebSocket, WebSocketServer } from 'ws';
import { selfSignedCertificate } from './self-signed.js';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** Messages as they arrive, taken one at a time in order. */
class Inbox<T> {
  private items: T[] = [];
  private waiting: ((item: T) => void)[] = [];
  push(item: T) {
    const waiter = this.waiting.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }
  next(): Promise<T> {
    const item = this.items.shift();
    return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

export interface Sideband {
  path: string;
  headers: IncomingHttpHeaders;
  socket: WebSocket;
  /** The next client event the app sent over the sideband. */
  next(): Promise<any>;
  send(event: unknown): void;
}

export interface OpenAIStandIn {
  baseURL: string;
  requests: Recorded[];
  /** The next sideband connection the app opens. */
  nextSideband(): Promise<Sideband>;
  close(): Promise<void>;
}

export async function startOpenAIStandIn(): Promise<OpenAIStandIn> {
  const { cert, key } = selfSignedCertificate();
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), cert]);
  const requests: Recorded[] = [];
  const server = createServer({ cert, key }, (req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      });
      // The real accept and refer endpoints answer 200 with an empty body.
      res.writeHead(/^\/v1\/realtime\/calls\/[^/]+\/(accept|refer)$/.test(req.url ?? '') ? 200 : 404).end();
    });
  });
  const sidebands = new Inbox<Sideband>();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    const inbox = new Inbox<any>();
    socket.on('message', (data) => inbox.push(JSON.parse(data.toString())));
    sidebands.push({
      path: req.url ?? '',
      headers: req.headers,
      socket,
      next: () => inbox.next(),
      send: (event) => socket.send(JSON.stringify(event)),
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `https://127.0.0.1:${port}/v1`,
    requests,
    nextSideband: () => sidebands.next(),
    close: () =>
      new Promise<void>((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
