/** Child process of `npm start`: runs the embedded PostgreSQL until told to stop. */
import path from 'node:path';
import { createLogger } from '../lib/logger.js';
import { announceReady, exitWhenParentDies } from '../runtime/child-process.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.js';

const config = loadConfigOrExit();
const logger = createLogger('postgres', config.LOG_LEVEL);
const handle = await startEmbeddedPostgres({
  dataDir: config.dataDir,
  port: config.EVALFORGE_PG_PORT,
  logger,
});
logger.info(
  { port: config.EVALFORGE_PG_PORT, dataDir: path.join(config.dataDir, 'postgres') },
  'PostgreSQL ready',
);
announceReady({ url: handle.url, pid: handle.pid });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await handle.stop();
  logger.info('PostgreSQL stopped');
  process.exit(0);
}
// embedded-postgres also stops its server on these signals; ours logs and exits once it is down.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
exitWhenParentDies(stop);
