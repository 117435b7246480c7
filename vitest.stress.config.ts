// `npm run test:stress`: the slow proofs that run the real service as a child process (crash recovery
// under SIGKILL). Kept out of `npm test` so the everyday suite stays quick.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
