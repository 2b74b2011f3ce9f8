import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.js';
import { createOutboundPolicy } from '../../core/outbound-policy.js';
import { createGitHubReporter } from '../../github-app/reporting/report.js';
import { createLogger } from '../../lib/logger.js';
import {
  type ManagedChild,
  PROJECT_ROOT,
  spawnNodeChild,
  WORKER_NODE_ARGS,
} from '../../runtime/child-process.js';
import { createWorkerSet, type WorkerSet } from '../../runtime/worker.js';
import { ALL_TASK_QUEUES, type TaskQueueName } from '../../temporal.config.js';
import '../provided-context.js';
import type { TestTemporal } from './temporal-namespace.js';

export { createTestNamespace as createTestTemporal, type TestTemporal } from './temporal-namespace.js';

export interface InProcessWorker {
  workerSet: WorkerSet;
  stop(): Promise<void>;
}

/** Workers for the given queues in this test process, on the prebuilt workflow bundle. */
export async function startInProcessWorker(opts: {
  temporal: TestTemporal;
  deps: ActivityDeps;
  queues?: TaskQueueName[];
}): Promise<InProcessWorker> {
  const connection = await NativeConnection.connect({ address: opts.temporal.address });
  const workerSet = await createWorkerSet({
    connection,
    namespace: opts.temporal.namespace,
    queues: opts.queues ?? [...ALL_TASK_QUEUES],
    deps: opts.deps,
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  const running = workerSet.run();
  return {
    workerSet,
    stop: async () => {
      workerSet.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** The production worker entry point (scripts/worker.ts) as a child process that a test can kill. */
export async function spawnWorkerProcess(opts: {
  temporal: TestTemporal;
  databaseUrl: string;
  queues?: TaskQueueName[];
  env?: NodeJS.ProcessEnv;
}): Promise<ManagedChild> {
  const child = spawnNodeChild('test-worker', path.join(PROJECT_ROOT, 'scripts/worker.ts'), {
    nodeArgs: WORKER_NODE_ARGS,
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      TEMPORAL_ADDRESS: opts.temporal.address,
      TEMPORAL_NAMESPACE: opts.temporal.namespace,
      EVALFORGE_WORKER_QUEUES: (opts.queues ?? ALL_TASK_QUEUES).join(','),
      // The fake model servers of the tests listen on loopback, which production's outbound policy refuses.
      EVALFORGE_ALLOWED_ENDPOINT_HOSTS: '127.0.0.0/8,::1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      EVALFORGE_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      ...opts.env,
    },
  });
  await child.ready;
  return child;
}

/** Dev mode's outbound policy (loopback allowed, for the fake model servers); pass `mode: 'production'` to
 * test what production refuses. */
export function testActivityDeps(
  dataSource: ActivityDeps['dataSource'],
  opts: { mode?: 'dev' | 'production'; allowedEndpointHosts?: string } = {},
): ActivityDeps {
  const logger = createLogger('test-worker', process.env.LOG_LEVEL ?? 'warn');
  // The real GitHub reporter: with no App configured it reports nothing, as in production.
  return {
    dataSource,
    logger,
    reporter: createGitHubReporter({ dataSource, logger }),
    outboundPolicy: createOutboundPolicy({
      mode: opts.mode ?? 'dev',
      allowedHosts: opts.allowedEndpointHosts,
    }),
  };
}
