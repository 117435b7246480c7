// Two projects, one `npm test`: the shared HTTP suite (test/api) runs on Node against better-sqlite3
// and inside workerd, through the Worker's router, in each clinic's Durable Object; each picks its
// harness through the '#harness' alias.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const devSecret = () => randomBytes(32).toString('base64');

// workerd with wrangler.toml's bindings. Vitest's runner itself needs Node.js compatibility, which
// the plugin turns on whatever wrangler.toml says (it is off there), so these tests cannot show that
// the Worker avoids node:*; .ci/run checks the built bundle for that instead. The extra flag gives
// the runner node:inspector, which it probes (else it warns once per file).
const workerd = () =>
  cloudflareTest({
    wrangler: { configPath: './wrangler.toml' },
    miniflare: {
      compatibilityFlags: ['enable_nodejs_inspector_module'],
      // Development secrets for every object (the harness gives each test app fresh ones).
      bindings: { PHONE_HASH_KEY: devSecret(), PHONE_ENCRYPTION_KEY: devSecret() },
    },
  });

const timeouts = { testTimeout: 30_000, hookTimeout: 30_000 };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { '#harness': path('./test/support/node-harness.ts') } },
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/workers/**'],
          // The voice platforms' APIs, stood in locally (test/api/calls-callback.test.ts).
          globalSetup: ['./test/support/stand-in-setup.ts'],
          ...timeouts,
        },
      },
      {
        // The app inside one Durable Object per clinic, behind the Worker's router (src/worker.ts).
        plugins: [workerd()],
        resolve: { alias: { '#harness': path('./test/support/clinic-objects-harness.ts') } },
        test: {
          name: 'clinic-objects',
          include: ['test/api/**/*.test.ts', 'test/workers/**/*.test.ts'],
          globalSetup: ['./test/support/stand-in-setup.ts'],
          ...timeouts,
        },
      },
    ],
  },
});
