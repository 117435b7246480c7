import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { loadNodeConfig } from '../../src/node/config.js';

const dir = mkdtempSync(join(tmpdir(), 'agendai-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = Buffer.alloc(32, 7).toString('base64');

describe('Node configuration', () => {
  it('generates missing secrets once in development and keeps them in the data folder', () => {
    const env = { DATABASE_PATH: join(dir, 'dev', 'agendai.db') };
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (event: string) => warnings.push(event) };
    const first = loadNodeConfig(env, logger);
    const file = join(dir, 'dev', 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(warnings).toEqual(['development_secrets']);
    const second = loadNodeConfig(env, silentLogger);
    expect(second.secrets).toEqual(first.secrets);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8'))).sort()).toEqual([
      'PHONE_ENCRYPTION_KEY',
      'PHONE_HASH_KEY',
    ]);
    expect(first.env.PORT).toBe(8787);
    expect(first.env.HOST).toBe('127.0.0.1');
  });

  it('refuses to start in production without a secret, naming it', () => {
    const env = { NODE_ENV: 'production', DATABASE_PATH: join(dir, 'prod', 'a.db'), PHONE_HASH_KEY: key };
    expect(() => loadNodeConfig(env, silentLogger)).toThrow(/PHONE_ENCRYPTION_KEY/);
    expect(existsSync(join(dir, 'prod', 'secrets.json'))).toBe(false);
  });

  it('refuses a short ADMIN_TOKEN at start-up, and leaves the admin API off without one', () => {
    const env = { NODE_ENV: 'production', PHONE_HASH_KEY: key, PHONE_ENCRYPTION_KEY: key };
    const withToken = (ADMIN_TOKEN: string) =>
      loadNodeConfig({ ...env, PUBLIC_BASE_URL: 'https://a.example', ADMIN_TOKEN }, silentLogger);
    expect(() => withToken('x'.repeat(31))).toThrow(/ADMIN_TOKEN must be at least 32 characters/);
    expect(withToken('x'.repeat(32)).env.ADMIN_TOKEN).toBe('x'.repeat(32));
    expect(withToken('').env.ADMIN_TOKEN).toBeUndefined();
  });

  it('rejects a secret that is not 32 bytes of base64', () => {
    const env = { NODE_ENV: 'production', PHONE_HASH_KEY: 'short', PHONE_ENCRYPTION_KEY: key };
    expect(() => loadNodeConfig(env, silentLogger)).toThrow(/PHONE_HASH_KEY must be 32 random bytes/);
  });

  it('reads versioned keys and a previous key for rotation', () => {
    const env = {
      NODE_ENV: 'production',
      PHONE_HASH_KEY: `v2:${key}`,
      PHONE_HASH_KEY_PREVIOUS: `v1:${Buffer.alloc(32, 1).toString('base64')}`,
      PHONE_ENCRYPTION_KEY: key,
      PUBLIC_BASE_URL: 'https://agendai.example.com',
    };
    const config = loadNodeConfig(env, silentLogger);
    expect(config.secrets.PHONE_HASH_KEY.version).toBe(2);
    expect(config.secrets.PHONE_HASH_KEY_PREVIOUS?.version).toBe(1);
  });

  it('requires PUBLIC_BASE_URL in production, naming it; takes it without a trailing slash', () => {
    const env = { NODE_ENV: 'production', PHONE_HASH_KEY: key, PHONE_ENCRYPTION_KEY: key };
    expect(() => loadNodeConfig(env, silentLogger)).toThrow(/PUBLIC_BASE_URL is required in production/);
    const config = loadNodeConfig({ ...env, PUBLIC_BASE_URL: 'https://agendai.example.com/' }, silentLogger);
    expect(config.env.PUBLIC_BASE_URL).toBe('https://agendai.example.com');
    for (const bad of ['agendai.example.com', 'ftp://agendai.example.com', 'https://a.example.com/?x=1']) {
      expect(() => loadNodeConfig({ ...env, PUBLIC_BASE_URL: bad }, silentLogger)).toThrow(/PUBLIC_BASE_URL/);
    }
  });

  it('keeps private webhook targets off unless WEBHOOKS_ALLOW_PRIVATE_TARGETS is "true"', () => {
    const env = { DATABASE_PATH: join(dir, 'dev', 'agendai.db') };
    expect(loadNodeConfig(env, silentLogger).env.WEBHOOKS_ALLOW_PRIVATE_TARGETS).toBe(false);
    const open = loadNodeConfig({ ...env, WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' }, silentLogger);
    expect(open.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS).toBe(true);
    expect(() => loadNodeConfig({ ...env, WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'yes' }, silentLogger)).toThrow(
      /WEBHOOKS_ALLOW_PRIVATE_TARGETS/,
    );
  });
});
