/** What every benchmark script shares: a hard deadline, a quiet logger, workflow history counts, a run stack. */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { createOutboundPolicy } from '../../core/outbound-policy.js';
import { NO_REPORTER } from '../../core/run-reporter.js';
import { createLogger } from '../../lib/logger.js';
import { findTemporalCli, startTemporalDevServer } from '../../runtime/temporal-cli.js';
import { createWorkerSet, NativeConnection } from '../../runtime/worker.js';
import { ALL_TASK_QUEUES, type TaskQueueName } from '../../temporal.config.js';
import { freePort } from '../../test/helpers/ports.js';
import { createThrowawayDatabase, pgAdminUrlFromEnv } from '../../test/helpers/throwaway-database.js';

/** Exits the process (status 1) if the benchmark is still running after `ms`: benchmarks stop by themselves. */
export function exitAfter(ms: number, name: string): void {
  const deadline = setTimeout(() => {
    console.error(`${name} gave up after ${Math.round(ms / 1000)} s`);
    process.exit(1);
  }, ms);
  deadline.unref();
}

/** Warnings only, unless BENCH_LOG_LEVEL=info. */
export const benchLogger = () =>
  createLogger('bench', process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn');

/** A headless Temporal dev server of the benchmark's own (no UI), stopped by the benchmark's cleanups. */
export async function startBenchTemporal(cleanups: Array<() => Promise<unknown>>) {
  const server = await startTemporalDevServer({
    cliPath: findTemporalCli(),
    port: await freePort(),
    uiPort: null,
  });
  cleanups.push(() => server.stop());
  return server;
}

/** Events over every execution of a workflow id (a continue-as-new chain), walked from the first. */
export async function historyOf(client: Client, workflowId: string) {
  const latest = await client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = latest.raw.workflowExecutionInfo?.firstRunId ?? undefined;
  if (!runId) throw new Error(`${workflowId}: the server did not report its first run id`);
  let totalEvents = 0;
  let largestExecution = 0;
  let executions = 0;
  while (runId) {
    const events: temporal.api.history.v1.IHistoryEvent[] =
      (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    totalEvents += events.length;
    largestExecution = Math.max(largestExecution, events.length);
    executions += 1;
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return { totalEvents, largestExecution, executions };
}

/**
 * What a whole run needs, all of the benchmark's own: a throwaway PostgreSQL database (TEST_PG_ADMIN_URL),
 * a headless Temporal dev server, an in-process worker set on every task queue (dev outbound policy: the
 * fake model server is on loopback), a Temporal client and the API's dependencies over them (dev mode).
 * Everything is stopped by the benchmark's cleanups, in reverse order.
 */
export async function startBenchRunStack(
  cleanups: Array<() => Promise<unknown>>,
  opts: {
    logger: ReturnType<typeof benchLogger>;
    poolSize?: number;
    /** The queues of the in-process worker set (default: all). */
    queues?: TaskQueueName[];
  },
) {
  const { logger } = opts;
  const db = await createThrowawayDatabase({
    adminUrl: pgAdminUrlFromEnv(),
    prefix: 'evalforge_bench',
    applicationName: 'evalforge-bench',
    poolSize: opts.poolSize ?? 20,
  });
  cleanups.push(() => db.drop());
  const temporalServer = await startBenchTemporal(cleanups);
  const namespace = 'default';
  const workerConnection = await NativeConnection.connect({ address: temporalServer.address });
  cleanups.push(() => workerConnection.close());
  // No prebuilt bundle: the SDK bundles workflows/index.ts (before any clock starts).
  const workerSet = await createWorkerSet({
    connection: workerConnection,
    namespace,
    queues: opts.queues ?? [...ALL_TASK_QUEUES],
    deps: {
      dataSource: db.dataSource,
      logger,
      reporter: NO_REPORTER,
      outboundPolicy: createOutboundPolicy({ mode: 'dev' }),
    },
  });
  const running = workerSet.run();
  cleanups.push(async () => {
    workerSet.shutdown();
    await running;
  });
  const connection = await Connection.connect({ address: temporalServer.address });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace });
  const apiDeps: ApiDeps = {
    dataSource: db.dataSource,
    temporal: client,
    logger,
    mode: 'dev',
    temporalUiUrl: null,
  };
  return { db, client, apiDeps, temporalAddress: temporalServer.address };
}

/** The real API app (createApp) over `deps`, listening on a free 127.0.0.1 port; its base URL. */
export async function serveBenchApi(deps: ApiDeps, cleanups: Array<() => Promise<unknown>>) {
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The machine a benchmark ran on, for its JSON line (the load average as the figures were taken). */
export function benchMachine() {
  return { node: process.version, cpus: os.cpus().length, loadavg: os.loadavg().map((l) => +l.toFixed(2)) };
}
