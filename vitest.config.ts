// Two projects, one `npm test`: the shared HTTP suite (test/api) runs on Node against better-sqlite3
// and inside workerd against local D1; each picks its harness through the '#harness' alias.
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// workerd with wrangler.toml's bindings. Vitest's runner itself needs Node.js compatibility, which
// the plugin turns on whatever wrangler.toml says (it is off there), so these tests cannot show that
// the Worker avoids node:*; .ci/run checks the built bundle for that instead. The extra flag gives
// the runner node:inspector, which it probes (else it warns once per file).
const workerd = async () =>
  cloudflareTest({
    wrangler: { configPath: './wrangler.toml' },
    miniflare: {
      compatibilityFlags: ['enable_nodejs_inspector_module'],
      bindings: { TEST_MIGRATIONS: await readD1Migrations(path('./drizzle')) },
      // An empty D1 of its own for the migration test (test/workers/typed-storage-migration.test.ts).
      d1Databases: { MIGRATION_DB: 'typed-storage-migration' },
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
        // The app in the Worker on local D1 (STORAGE=d1's harness).
        plugins: [await workerd()],
        resolve: { alias: { '#harness': path('./test/support/worker-harness.ts') } },
        test: {
          name: 'workers',
          include: ['test/api/**/*.test.ts', 'test/workers/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/workers/clinic-objects*.test.ts'],
          setupFiles: ['./test/workers/apply-migrations.ts'],
          globalSetup: ['./test/support/stand-in-setup.ts'],
          ...timeouts,
        },
      },
      {
        // The app inside one Durable Object per clinic, behind the Worker's router (STORAGE=clinic-objects).
        plugins: [await workerd()],
        resolve: { alias: { '#harness': path('./test/support/clinic-objects-harness.ts') } },
        test: {
          name: 'clinic-objects',
          include: ['test/api/**/*.test.ts', 'test/workers/clinic-objects*.test.ts'],
          exclude: [...configDefaults.exclude],
          globalSetup: ['./test/support/stand-in-setup.ts'],
          ...timeouts,
        },
      },
    ],
  },
});
