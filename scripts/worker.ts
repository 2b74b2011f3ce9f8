/**
 * A worker process: `npm run worker` (queues from EVALFORGE_WORKER_QUEUES or --queues=a,b).
 * Stops on SIGINT/SIGTERM after in-flight activities finish (Temporal's shutdown drains them).
 */
import { createActivityDeps } from '../activities/index.js';
import { announceReady, exitWhenParentDies } from '../runtime/child-process.js';
import { loadConfig } from '../runtime/config.js';
import { createLogger } from '../runtime/logger.js';
import { createWorkerSet, installSdkLogger, NativeConnection } from '../runtime/worker.js';
import { requireDatabaseUrl } from './require-database-url.js';

const queuesArg = process.argv.find((a) => a.startsWith('--queues='))?.slice('--queues='.length);
const config = loadConfig(queuesArg ? { ...process.env, EVALFORGE_WORKER_QUEUES: queuesArg } : process.env);
const logger = createLogger('worker', config.LOG_LEVEL);

installSdkLogger(logger);
const deps = await createActivityDeps(requireDatabaseUrl(config));
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const workerSet = await createWorkerSet({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  queues: config.workerQueues,
  deps,
});
exitWhenParentDies(() => workerSet.shutdown());
const running = workerSet.run();
logger.info({ queues: config.workerQueues, temporal: config.temporalAddress }, 'worker running');
announceReady({ queues: config.workerQueues });

// The Temporal runtime shuts the workers down on SIGINT/SIGTERM; we close our resources after.
await running;
await connection.close();
await deps.dataSource.destroy();
logger.info('worker stopped');
