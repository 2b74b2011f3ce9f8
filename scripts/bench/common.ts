/** What every benchmark script shares: a hard deadline, a quiet logger, workflow history counts. */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { createLogger } from '../../lib/logger.js';
import { findTemporalCli, startTemporalDevServer } from '../../runtime/temporal-cli.js';
import { freePort } from '../../test/helpers/ports.js';

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
