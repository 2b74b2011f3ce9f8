/**
 * Starts one Temporal worker per task queue in this process. The orchestration queue also runs
 * workflows (loaded by path, bundled by the SDK); the other queues only run activities.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities/index.js';
import type { Logger } from '../lib/logger.js';
import { TASK_QUEUES, type TaskQueueName } from '../temporal.config.js';
import { observeActivities } from './activity-observability.js';

const HEARTBEAT_THROTTLE = '2s';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Concurrency per queue: model calls are I/O bound, local judges are CPU/GPU bound. */
export const MAX_CONCURRENT_ACTIVITIES: Record<TaskQueueName, number> = {
  orchestration: 50,
  llm: 20,
  'judges.cpu': 2,
  'judges.gpu': 1,
};

export interface WorkerSetOptions {
  connection: NativeConnection;
  namespace: string;
  queues: TaskQueueName[];
  deps: ActivityDeps;
  /** Prebuilt workflow bundle (tests build it once); otherwise the SDK bundles WORKFLOWS_PATH. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** On shutdown, in-flight activities get this long to finish before they are cancelled (default 0). */
  shutdownGraceMs?: number;
}

export interface WorkerSet {
  workers: Worker[];
  /** Resolves when every worker has stopped (after shutdown() or a fatal error). */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createWorkerSet(opts: WorkerSetOptions): Promise<WorkerSet> {
  const activities = createActivities(opts.deps);
  const workers = await Promise.all(
    opts.queues.map((taskQueue) =>
      Worker.create({
        connection: opts.connection,
        namespace: opts.namespace,
        taskQueue,
        activities,
        maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES[taskQueue],
        shutdownGraceTime: opts.shutdownGraceMs ?? 0,
        // Cancellation reaches an activity with a heartbeat reply: flush heartbeats often enough that a
        // cancelled run stops within seconds, not the default (up to 60 s).
        maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
        defaultHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
        interceptors: { activity: [observeActivities] },
        ...(taskQueue === TASK_QUEUES.orchestration
          ? opts.workflowBundle
            ? { workflowBundle: opts.workflowBundle }
            : { workflowsPath: WORKFLOWS_PATH }
          : {}),
      }),
    ),
  );
  return {
    workers,
    run: async () => {
      await Promise.all(workers.map((w) => w.run()));
    },
    shutdown: () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}

export { NativeConnection };

/** SDK warnings that our layout makes routine: the llm and judges.* queues run activities only. */
const EXPECTED_SDK_WARNINGS = new Set(['No workflows registered, not polling for workflow tasks']);
const SDK_TO_PINO = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The level an SDK log entry gets in our logs: its own, but debug for the routine warnings above. */
export function sdkLogLevel(entry: { level: keyof typeof SDK_TO_PINO; message: string }) {
  return EXPECTED_SDK_WARNINGS.has(entry.message) ? 'debug' : SDK_TO_PINO[entry.level];
}

/**
 * Installs the process-wide Temporal runtime (once per process: Runtime.install throws the second time).
 * It routes the SDK's own logs (worker state, activity failures) into our structured logger and, with a
 * metricsBindAddress (`host:port`), serves the SDK's Prometheus metrics (temporal_*) there at /metrics.
 */
export function installTemporalRuntime(opts: {
  logger: Logger;
  metricsBindAddress?: string | null;
  level?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}) {
  Runtime.install({
    logger: new DefaultLogger(opts.level ?? 'WARN', (entry) => {
      opts.logger[sdkLogLevel(entry)]({ sdk: true, ...entry.meta }, entry.message);
    }),
    ...(opts.metricsBindAddress
      ? {
          telemetryOptions: {
            metrics: { prometheus: { bindAddress: opts.metricsBindAddress, useSecondsForDurations: true } },
          },
        }
      : {}),
  });
}
