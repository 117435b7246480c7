// Prepares .dev.vars (the secrets of `wrangler dev`). The first time it writes random development
// keys; an existing file keeps its keys. ADMIN_TOKEN follows the environment of each run: set, it is
// written (the Worker then serves /admin/v1); unset, it is removed (the admin API stays off). It goes
// through the git-ignored file, not wrangler's --var, so the token is not on a command line.
// Production secrets are set with `wrangler secret put` instead.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../.dev.vars', import.meta.url);
if (!existsSync(file)) {
  const key = () => randomBytes(32).toString('base64');
  writeFileSync(file, `PHONE_HASH_KEY=${key()}\nPHONE_ENCRYPTION_KEY=${key()}\n`, { mode: 0o600 });
  console.log('Wrote .dev.vars with random development keys (git-ignored).');
}

const token = process.env.ADMIN_TOKEN?.trim();
if (token && token.length < 32) {
  console.error('ADMIN_TOKEN must be at least 32 characters (openssl rand -base64 32)');
  process.exit(1);
}
const kept = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !/^\s*ADMIN_TOKEN\s*=/.test(line));
writeFileSync(file, `${[...kept, ...(token ? [`ADMIN_TOKEN=${token}`] : [])].join('\n')}\n`, { mode: 0o600 });
if (token) console.log('ADMIN_TOKEN from the environment: the admin API (/admin/v1) is on.');
