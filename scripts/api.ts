/** The API process: `npm run api`. Drains open requests on SIGINT/SIGTERM, then closes its pools. */
import { serve } from '@hono/node-server';
import { createApiDeps, createApp } from '../api/index.js';
import { createLogger } from '../lib/logger.js';
import { announceReady, exitWhenParentDies } from '../runtime/child-process.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { requireDatabaseUrl } from './require-database-url.js';

const config = loadConfigOrExit();
const logger = createLogger('api', config.LOG_LEVEL);
const deps = await createApiDeps({
  databaseUrl: requireDatabaseUrl(config),
  temporalAddress: config.temporalAddress,
  namespace: config.TEMPORAL_NAMESPACE,
  mode: config.EVALFORGE_MODE,
  temporalUiUrl: process.env.EVALFORGE_TEMPORAL_UI_URL || null,
});
const app = createApp(deps);
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.host }, (info) => {
  logger.info({ url: `http://${config.host}:${info.port}` }, 'API listening');
  announceReady({ port: info.port });
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(async () => {
    await deps.close();
    logger.info('API stopped');
    process.exit(0);
  });
  // Keep-alive connections would hold close() open; end idle ones now.
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
exitWhenParentDies(stop);
