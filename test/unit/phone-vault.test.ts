import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPhoneVault } from '../../src/security/phone-vault.js';

const secret = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('phone vault', () => {
  it('hashes with a key: another key gives another hash; the version prefixes it', async () => {
    const a = await createPhoneVault({
      hashKeys: [{ version: 1, secret: secret(1) }],
      encryptionKeys: [{ version: 1, secret: secret(2) }],
    });
    const b = await createPhoneVault({
      hashKeys: [{ version: 2, secret: secret(3) }],
      encryptionKeys: [{ version: 1, secret: secret(2) }],
    });
    const ha = await a.hash('+351912345678', 't1');
    expect(ha).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(await a.hash('+351912345678', 't1')).toBe(ha);
    expect((await b.hash('+351912345678', 't1')).startsWith('v2:')).toBe(true);
    expect((await b.hash('+351912345678', 't1')).slice(3)).not.toBe(ha.slice(3));
  });

  it('looks up with the current and the previous key during a rotation', async () => {
    const old = await createPhoneVault({
      hashKeys: [{ version: 1, secret: secret(1) }],
      encryptionKeys: [{ version: 1, secret: secret(2) }],
    });
    const rotated = await createPhoneVault({
      hashKeys: [
        { version: 2, secret: secret(3) },
        { version: 1, secret: secret(1) },
      ],
      encryptionKeys: [
        { version: 2, secret: secret(4) },
        { version: 1, secret: secret(2) },
      ],
    });
    const hashes = await rotated.lookupHashes('+351912345678', { id: 't1', legacyPhoneHashes: true });
    expect(hashes).toContain(await old.hash('+351912345678', 't1'));
    const sealedWithOld = await old.encrypt('+351912345678', 't:a');
    expect(await rotated.decrypt(sealedWithOld, 't:a')).toBe('+351912345678');
  });

  it('hashes per clinic: the same number has unrelated hashes in two clinics, same format', async () => {
    const vault = await createPhoneVault({
      hashKeys: [{ version: 1, secret: secret(1) }],
      encryptionKeys: [{ version: 1, secret: secret(2) }],
    });
    const inA = await vault.hash('+351912345678', 'clinic-a');
    const inB = await vault.hash('+351912345678', 'clinic-b');
    expect(inA).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(inB).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(inA).not.toBe(inB);
    expect(await vault.hash('+351912345678', 'clinic-a')).toBe(inA);
  });

  it('lookups also match the legacy shared hash (HMAC with the configured key), under every key', async () => {
    const keys = [
      { version: 2, secret: secret(3) },
      { version: 1, secret: secret(1) },
    ];
    const vault = await createPhoneVault({
      hashKeys: keys,
      encryptionKeys: [{ version: 1, secret: secret(2) }],
    });
    const legacy = keys.map(
      (k) =>
        `v${k.version}:${createHmac('sha256', Buffer.from(k.secret, 'base64')).update('+351912345678').digest('hex')}`,
    );
    const hashes = await vault.lookupHashes('+351912345678', { id: 'clinic-a', legacyPhoneHashes: true });
    expect(hashes[0]).toBe(await vault.hash('+351912345678', 'clinic-a'));
    expect(hashes).toEqual(expect.arrayContaining(legacy));
    expect(hashes).toHaveLength(4);
    expect(legacy).not.toContain(await vault.hash('+351912345678', 'clinic-a'));
  });

  it('encrypts with a fresh IV each time and binds the record as associated data', async () => {
    const vault = await createPhoneVault({
      hashKeys: [{ version: 1, secret: secret(1) }],
      encryptionKeys: [{ version: 1, secret: secret(2) }],
    });
    const x = await vault.encrypt('+351912345678', 'tenant:appt');
    const y = await vault.encrypt('+351912345678', 'tenant:appt');
    expect(x).not.toBe(y);
    expect(x).not.toContain('912345678');
    expect(await vault.decrypt(x, 'tenant:appt')).toBe('+351912345678');
    await expect(vault.decrypt(x, 'tenant:other')).rejects.toThrow();
  });
});
