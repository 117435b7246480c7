// The Worker's only job: find the clinic a request is for and forward it
// to that clinic's object, in one hop. What names the clinic, by door:
// - an API key (REST, Voki): the clinic reference inside the key's body (src/security/api-key-token.ts);
// - a voice platform's webhook or MCP call: the integration id in the path;
// - a message provider's webhook: the sender id in the path;
// - the booking page: the clinic's public slug in the path;
// - a call's recording link: the clinic's reference in its query;
// - a patient's page (appointment, triage, feedback) and what its script calls: the clinic's
//   reference leading the link's token (src/security/patient-token.ts).
// Each is looked up in the directory, through this isolate's cache (entries never change). The
// router checks nothing else: the clinic's object checks the key's hash, the platform's signature,
// so a revoked key is refused on its next request whatever any cache holds.
//
// Whatever names no known clinic (no key, an unknown one, the operator's API, the documentation)
// goes to the lobby, which runs the same app and answers with the app's own refusals.

import { MESSAGE_WEBHOOK_PREFIX } from '../api/messages.js';
import { LINK_PAGES } from '../booking/patient-link.js';
import { addressForLimits } from '../http/client-address.js';
import { clinicRefOf } from '../security/api-key-token.js';
import { clinicRefOfPatientToken } from '../security/patient-token.js';
import { hmac } from '../security/signatures.js';
import { MCP_PREFIX } from '../voice/mcp-link.js';
import { RECORDING_LINK_PREFIX } from '../voice/recordings.js';
import { WEBHOOK_PREFIX } from '../voice/webhooks.js';
import type { DirectoryEntry, RouteKind } from './directory.js';

/** What a request is forwarded to: a clinic's object or the lobby. */
export interface Destination {
  fetch(request: Request): Promise<Response>;
}

/** Where names are looked up; `asker` is the caller's address, charged for names found nowhere (cachedDirectory). */
export interface Lookup {
  resolve(kind: RouteKind, key: string, asker?: string): Promise<DirectoryEntry | null>;
}

export interface Routing {
  directory: Lookup;
  clinic(objectId: string): Destination | Promise<Destination>;
  /** The lobby object for a caller's address (lobbyNameOf). */
  lobby(caller: string): Destination | Promise<Destination>;
}

/** The caller's address as limits count it (an IPv6 one by its /64): what lobbies and lookups are charged to. */
export const callerOf = (request: Request) =>
  addressForLimits(request.headers.get('cf-connecting-ip') ?? undefined);

/** How many lobby objects share the requests that name no clinic. */
export const LOBBY_COUNT = 16;

/**
 * The lobby of a request that names no clinic, by the caller's address: one object would be a single
 * queue for every unauthenticated request of the deployment (documentation, health checks, the
 * operator's API, every bogus key), so one address flooding it would stall the others. An address
 * (an IPv6 one by its /64, as limits count it) always meets the same lobby, which counts its failed
 * authentications in memory.
 *
 * The address is mapped through an HMAC under a deployment secret (the phone hash key, under a label
 * of its own): with a public hash, whoever holds many addresses could pick those that share a given
 * lobby (a clinic's office, the health checker) and flood that one queue alone. A lobby holds only
 * counters in memory, so a new key moving addresses to other lobbies loses nothing that matters.
 */
export async function lobbyNameOf(caller: string, secret: string): Promise<string> {
  const mac = await hmac(secret, `agendai:lobby:${caller}`);
  const word = ((mac[0]! << 24) | (mac[1]! << 16) | (mac[2]! << 8) | mac[3]!) >>> 0;
  return `lobby:${word % LOBBY_COUNT}`;
}

const ID = '([A-Za-z0-9_-]{1,100})';
const BY_PATH: [RegExp, RouteKind][] = [
  [new RegExp(`^${WEBHOOK_PREFIX}/${ID}(?:/|$)`), 'integration'],
  [new RegExp(`^${MCP_PREFIX}/${ID}(?:/|$)`), 'integration'],
  [new RegExp(`^${MESSAGE_WEBHOOK_PREFIX}/${ID}(?:/|$)`), 'sender'],
  // The booking page and its API; /booking/assets/ is the same for every clinic (the lobby's).
  [/^\/booking\/(?!assets\/)([a-z0-9-]{1,100})(?:\/|$)/, 'slug'],
];

// A patient page's token is the path segment after the page's prefix (its assets are the lobby's).
const PATIENT_PAGES = Object.values(LINK_PAGES).map(
  ({ prefix }) => new RegExp(`^${prefix}/([A-Za-z0-9_-]{1,100})(?:/|$)`),
);

/** The directory entry of the clinic `request` is for, or null (the lobby's). */
export async function clinicOf(
  request: Request,
  lookup: Lookup,
  caller = callerOf(request),
): Promise<DirectoryEntry | null> {
  const directory = { resolve: (kind: RouteKind, key: string) => lookup.resolve(kind, key, caller) };
  const path = new URL(request.url).pathname;
  if (path.startsWith('/admin/')) return null;
  for (const [pattern, kind] of BY_PATH) {
    const id = pattern.exec(path)?.[1];
    if (id) return directory.resolve(kind, id);
  }
  for (const pattern of PATIENT_PAGES) {
    const token = pattern.exec(path)?.[1];
    const ref = token && clinicRefOfPatientToken(token);
    if (ref) return directory.resolve('ref', ref);
  }
  // A recording link names its clinic in the query (src/voice/recordings.ts).
  if (path.startsWith(`${RECORDING_LINK_PREFIX}/`)) {
    const clinic = new URL(request.url).searchParams.get('clinic');
    return clinic ? directory.resolve('ref', clinic) : null;
  }
  const bearer = /^Bearer +(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  const ref = bearer && clinicRefOf(bearer);
  return ref ? directory.resolve('ref', ref) : null;
}

/** Forwards `request` to its clinic's object, or to the lobby. */
export async function routeRequest(request: Request, routing: Routing): Promise<Response> {
  const caller = callerOf(request);
  const entry = await clinicOf(request, routing.directory, caller);
  const destination = entry ? await routing.clinic(entry.objectId) : await routing.lobby(caller);
  return destination.fetch(request);
}
