// The patient link's token (src/security/patient-token.ts): led by the clinic's reference, which the
// Worker routes by, and bound to that clinic by the check against the clinic holding the appointment;
// tokens made without a reference (links sent before) still open.
import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import {
  clinicRefOfPatientToken,
  openPatientToken,
  sealPatientToken,
} from '../../src/security/patient-token.js';
import { createLinkSigner } from '../../src/security/signed-link.js';

const links = await createLinkSigner(Buffer.from(randomBytes(32)).toString('base64'));
const ref = toBase64Url(randomBytes(12));
const clinic = { id: crypto.randomUUID(), clinicRef: ref };
const link = { tenantId: clinic.id, appointmentId: crypto.randomUUID(), expires: 1_900_000_000 };

describe('patient token', () => {
  it("is the clinic's 16-character reference then 48 sealed characters, which name no clinic", async () => {
    const token = (await sealPatientToken(links, { ...link, clinicRef: ref }))!;
    expect(token).toHaveLength(64);
    expect(token.startsWith(ref)).toBe(true);
    expect(clinicRefOfPatientToken(token)).toBe(ref);
    const opened = (await openPatientToken(links, token))!;
    expect(opened).toMatchObject({ appointmentId: link.appointmentId, expires: link.expires });
    expect(await opened.madeFor(clinic)).toBe(true);
  });

  it("opens nothing behind another clinic's reference, though the sealed part is genuine", async () => {
    const token = (await sealPatientToken(links, { ...link, clinicRef: ref }))!;
    const forged = `${'B'.repeat(16)}${token.slice(16)}`;
    expect(clinicRefOfPatientToken(forged)).toBe('B'.repeat(16));
    expect(await (await openPatientToken(links, forged))!.madeFor(clinic)).toBe(false);
    // Nor does a genuine reference in front of another clinic's sealed token.
    const other = { id: crypto.randomUUID(), clinicRef: toBase64Url(randomBytes(12)) };
    const theirs = (await sealPatientToken(links, {
      ...link,
      tenantId: other.id,
      clinicRef: other.clinicRef,
    }))!;
    expect(await (await openPatientToken(links, `${ref}${theirs.slice(16)}`))!.madeFor(clinic)).toBe(false);
  });

  it('made without a reference (before links carried one) is 48 characters and opens as before', async () => {
    const token = (await sealPatientToken(links, { ...link, clinicRef: null }))!;
    expect(token).toHaveLength(48);
    expect(clinicRefOfPatientToken(token)).toBeUndefined();
    expect(await (await openPatientToken(links, token))!.madeFor(clinic)).toBe(true);
    // The same sealed part as the token with the reference: old links are the new ones' tail.
    expect((await sealPatientToken(links, { ...link, clinicRef: ref }))!.slice(16)).toBe(token);
  });

  it('is refused when it has neither length, and in another scope', async () => {
    const token = (await sealPatientToken(links, { ...link, clinicRef: ref }))!;
    for (const bad of [token.slice(1), `${token}A`, token.slice(0, 47), `${token.slice(0, 63)}!`]) {
      expect(await openPatientToken(links, bad)).toBeNull();
    }
    expect(await (await openPatientToken(links, token, 'triage'))!.madeFor(clinic)).toBe(false);
  });
});
