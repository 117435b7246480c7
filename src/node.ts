// Node entry: `npm start`. Embedded SQLite, migrations at start-up, zero configuration in development.

import { errorMessage } from './domain/errors.js';
import { jsonLogger } from './logger.js';
import { loadNodeConfig } from './node/config.js';
import { startNodeService } from './node/server.js';

// Straight to stdout: console.log's formatting showed up in profiles at one line per request.
const logger = jsonLogger((line) => process.stdout.write(`${line}\n`));

try {
  const config = loadNodeConfig(process.env, logger);
  const service = await startNodeService({
    databasePath: config.databasePath,
    secrets: config.secrets,
    logger,
    port: config.env.PORT,
    host: config.env.HOST,
    rateLimits: config.rateLimits,
    trustProxy: config.trustProxy,
    schedulerIntervalMs: config.env.SCHEDULER_INTERVAL_SECONDS * 1000,
    publicBaseUrl: config.env.PUBLIC_BASE_URL,
    allowPrivateTargets: config.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
    platformApiBaseUrls: config.platformApiBaseUrls,
    adminToken: config.env.ADMIN_TOKEN,
  });
  logger.info('started', {
    url: service.url,
    database: config.databasePath,
    docs: `${service.url}/docs`,
    adminApi: config.env.ADMIN_TOKEN !== undefined,
  });
  const stop = async (signal: string) => {
    logger.info('stopping', { signal });
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  logger.error('start_failed', { error: errorMessage(error) });
  process.exit(1);
}
