/**
 * A worker process: `npm run worker` (queues from EVALFORGE_WORKER_QUEUES or --queues=a,b).
 * Stops on SIGINT/SIGTERM after in-flight activities finish (Temporal's shutdown drains them).
 */

import { createLogger } from '../lib/logger.js';
import { createActivityDeps } from '../runtime/activity-deps.js';
import { announceReady, exitWhenParentDies } from '../runtime/child-process.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { createWorkerSet, installTemporalRuntime, NativeConnection } from '../runtime/worker.js';
import { startWorkerMetricsServer } from '../runtime/worker-metrics-server.js';
import { requireDatabaseUrl } from './require-database-url.js';

const queuesArg = process.argv.find((a) => a.startsWith('--queues='))?.slice('--queues='.length);
const config = loadConfigOrExit(
  queuesArg ? { ...process.env, EVALFORGE_WORKER_QUEUES: queuesArg } : process.env,
);
const logger = createLogger('worker', config.LOG_LEVEL);

// With EVALFORGE_METRICS_PORT set, the SDK exports on loopback and our metrics server merges it in.
const sdkMetricsAddress = config.EVALFORGE_METRICS_PORT
  ? `127.0.0.1:${config.EVALFORGE_TEMPORAL_METRICS_PORT}`
  : null;
installTemporalRuntime({ logger, metricsBindAddress: sdkMetricsAddress });
const deps = await createActivityDeps(
  requireDatabaseUrl(config),
  { mode: config.EVALFORGE_MODE, allowedHosts: config.EVALFORGE_ALLOWED_ENDPOINT_HOSTS },
  { address: config.temporalAddress, namespace: config.TEMPORAL_NAMESPACE },
);
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const workerSet = await createWorkerSet({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  queues: config.workerQueues,
  deps,
  shutdownGraceMs: config.shutdownGraceMs,
  // A prebuilt bundle (`bundleWorkflowCode`) skips bundling at start: faster restarts, same code.
  ...(process.env.EVALFORGE_WORKFLOW_BUNDLE
    ? { workflowBundle: { codePath: process.env.EVALFORGE_WORKFLOW_BUNDLE } }
    : {}),
});
exitWhenParentDies(() => workerSet.shutdown());
const running = workerSet.run();
const metricsServer = config.EVALFORGE_METRICS_PORT
  ? await startWorkerMetricsServer({
      port: config.EVALFORGE_METRICS_PORT,
      workerSet,
      sdkMetricsUrl: sdkMetricsAddress && `http://${sdkMetricsAddress}/metrics`,
      logger,
    })
  : null;
logger.info({ queues: config.workerQueues, temporal: config.temporalAddress }, 'worker running');
announceReady({ queues: config.workerQueues });

// The Temporal runtime shuts the workers down on SIGINT/SIGTERM; we close our resources after.
await running;
await metricsServer?.close();
await connection.close();
await deps.dataSource.destroy();
logger.info('worker stopped');
