// Creates .dev.vars (the secrets of `wrangler dev`) with random development keys, once; an existing
// file is left alone. Production secrets are set with `wrangler secret put` instead.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';

const file = new URL('../.dev.vars', import.meta.url);
if (!existsSync(file)) {
  const key = () => randomBytes(32).toString('base64');
  writeFileSync(file, `PHONE_HASH_KEY=${key()}\nPHONE_ENCRYPTION_KEY=${key()}\n`, { mode: 0o600 });
  console.log('Wrote .dev.vars with random development keys (git-ignored).');
}
