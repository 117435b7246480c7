// The token of a patient's appointment link (/a/{token}): short enough for an SMS, opaque, and
// checked without storage. It is a deterministic authenticated encryption (the SIV pattern) built
// only from the service's link signer (signed-link.ts):
//   tag     = the first 16 bytes of sign("patient-link:{clinic}:{appointment}", expires)
//   cipher  = the appointment id's 16 bytes XOR the first 16 bytes of sign("patient-link-pad:{tag}", 0)
//   token   = the clinic's reference (16 characters, as in its API keys) + base64url(tag | cipher |
//             expires as 4 bytes) (48 characters): 64 in all.
// The reference is there for the Worker's router, which sends the link to the clinic's object by it
// (the 48 characters after it name no clinic). It is not secret, and it is checked against the
// clinic that holds the appointment: a forged reference routes the link to a clinic that holds no
// such appointment, and on Node fails the same check. Links made before clinics had references (or
// before links carried them) are the 48 characters alone, and keep opening on Node.
// The same scheme serves the triage and feedback links (/triagem/{token}, /feedback/{token}): the
// link's scope is the tag subject's first word, so a token made for one page opens no other.
// The id is hidden (the pad is a keyed function of the tag, which an outsider cannot compute), the
// phone is not in it at all, and the tag binds the clinic, the appointment and the expiry: a changed
// byte, another clinic's appointment or a later expiry fails the constant-time comparison.
import { isUuid } from '../domain/uuid.js';
import { CLINIC_REF_LENGTH } from './api-key-token.js';
import { fromBase64, toBase64Url, toHex } from './encoding.js';
import { fromHex } from './signatures.js';
import type { LinkSigner } from './signed-link.js';

const TAG = 16;
const ID = 16;
const TOKEN_BYTES = TAG + ID + 4;
/** A token's length without the clinic's reference (the whole of a link made before there was one). */
const SEALED_LENGTH = 48;
const TOKEN_PATTERN = new RegExp(
  `^(?:([A-Za-z0-9_-]{${CLINIC_REF_LENGTH}}))?([A-Za-z0-9_-]{${SEALED_LENGTH}})$`,
);

/** Which page a token opens: the appointment page, the triage form or the feedback form. */
export type LinkScope = 'patient-link' | 'triage' | 'feedback';

const tagSubject = (scope: LinkScope, tenantId: string, appointmentId: string) =>
  `${scope}:${tenantId}:${appointmentId}`;

async function tagOf(
  links: LinkSigner,
  scope: LinkScope,
  tenantId: string,
  appointmentId: string,
  expires: number,
) {
  return fromHex(await links.sign(tagSubject(scope, tenantId, appointmentId), expires))!.subarray(0, TAG);
}

async function padFor(links: LinkSigner, tag: Uint8Array) {
  return fromHex(await links.sign(`patient-link-pad:${toHex(tag)}`, 0))!.subarray(0, ID);
}

const xor = (a: Uint8Array, b: Uint8Array) => Uint8Array.from(a, (v, i) => v ^ b[i]!);

const uuidBytes = (id: string) => fromHex(id.replace(/-/g, ''))!;
const uuidText = (bytes: Uint8Array) => {
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** Same length, every byte compared: the time taken says nothing about where they differ. */
function sameBytes(a: Uint8Array, b: Uint8Array) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * The token for an appointment (a UUID) until `expires` (epoch seconds), led by the clinic's
 * reference when it has one; null for an id that is not a UUID.
 */
export async function sealPatientToken(
  links: LinkSigner,
  link: { tenantId: string; clinicRef: string | null; appointmentId: string; expires: number },
  scope: LinkScope = 'patient-link',
): Promise<string | null> {
  if (!isUuid(link.appointmentId)) return null;
  const tag = await tagOf(links, scope, link.tenantId, link.appointmentId, link.expires);
  const bytes = new Uint8Array(TOKEN_BYTES);
  bytes.set(tag, 0);
  bytes.set(xor(uuidBytes(link.appointmentId), await padFor(links, tag)), TAG);
  new DataView(bytes.buffer).setUint32(TAG + ID, link.expires);
  return `${link.clinicRef ?? ''}${toBase64Url(bytes)}`;
}

/** The clinic reference a link's token leads with (what the Worker routes by), or undefined. */
export function clinicRefOfPatientToken(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

export interface OpenedToken {
  appointmentId: string;
  /** Epoch seconds. */
  expires: number;
  /**
   * True when the token was made for this clinic's appointment and expiry (constant time), and the
   * reference it leads with, if any, is this clinic's.
   */
  madeFor(tenant: { id: string; clinicRef: string | null }): Promise<boolean>;
}

/**
 * Reads a token's claimed appointment and expiry; nothing is trusted until `madeFor` says so (the
 * clinic is known only once the appointment is found). Null when it is not a token's shape.
 */
export async function openPatientToken(
  links: LinkSigner,
  token: string,
  scope: LinkScope = 'patient-link',
): Promise<OpenedToken | null> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const ref = match[1];
  const bytes = fromBase64(match[2]!);
  if (bytes.length !== TOKEN_BYTES) return null;
  const tag = bytes.slice(0, TAG);
  const appointmentId = uuidText(xor(bytes.subarray(TAG, TAG + ID), await padFor(links, tag)));
  const expires = new DataView(bytes.buffer, bytes.byteOffset).getUint32(TAG + ID);
  return {
    appointmentId,
    expires,
    madeFor: async (tenant) =>
      sameBytes(tag, await tagOf(links, scope, tenant.id, appointmentId, expires)) &&
      (ref === undefined || ref === tenant.clinicRef),
  };
}
