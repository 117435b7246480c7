// Setup of the workers test project: the same drizzle/ migrations wrangler applies, on the local D1.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
