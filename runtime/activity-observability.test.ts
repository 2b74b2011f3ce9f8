import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { activityDuration } from '../lib/metrics.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { observeActivities } from './activity-observability.js';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('test', 'info', sink), lines };
}

async function attempts(labels: Record<string, string>): Promise<number> {
  const { values } = await activityDuration.get();
  const match = values.find(
    (v) =>
      v.metricName === 'evalforge_activity_duration_seconds_count' &&
      Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val),
  );
  return match?.value ?? 0;
}

function environment(activityType: string) {
  return new MockActivityEnvironment(
    {
      activityType,
      taskQueue: 'llm',
      attempt: 3,
      workflowExecution: { workflowId: evalRunWorkflowId('run-42'), runId: 'temporal-run-1' },
    },
    // The SDK's own 'Activity failed' warnings are expected here.
    { interceptors: [observeActivities], logger: new DefaultLogger('ERROR') },
  );
}

describe('observeActivities', () => {
  it('puts the workflow id, eval run id and attempt on every line an activity logs', async () => {
    const { logger, lines } = capturingLogger();
    await environment('generateChunkForLogs').run(async () => {
      await new Promise((r) => setTimeout(r, 5)); // the context must survive awaits
      logger.info({ samples: 10 }, 'chunk done');
    });
    logger.info('outside any activity');

    expect(lines[0]).toMatchObject({
      msg: 'chunk done',
      samples: 10,
      workflowId: 'eval-run-run-42',
      evalRunId: 'run-42',
      activityType: 'generateChunkForLogs',
      taskQueue: 'llm',
      attempt: 3,
    });
    expect(lines[1]).not.toHaveProperty('workflowId');
    expect(lines[1]).not.toHaveProperty('evalRunId');
  });

  it('times each attempt by activity type, task queue and outcome', async () => {
    const ok = { activity_type: 'timedActivity', task_queue: 'llm', outcome: 'ok' };
    const error = { ...ok, outcome: 'error' };
    const cancelled = { ...ok, outcome: 'cancelled' };
    const [okBefore, errorBefore, cancelledBefore] = await Promise.all([ok, error, cancelled].map(attempts));

    await environment('timedActivity').run(async () => 'done');
    await expect(
      environment('timedActivity').run(async () => {
        throw new Error('provider said 500');
      }),
    ).rejects.toThrow('provider said 500');
    const cancellable = environment('timedActivity');
    const running = cancellable.run(
      () =>
        new Promise((_, reject) =>
          cancellable.context.cancellationSignal.addEventListener('abort', () =>
            reject(new Error('aborted')),
          ),
        ),
    );
    cancellable.cancel();
    await expect(running).rejects.toThrow();

    expect(await attempts(ok)).toBe(okBefore + 1);
    expect(await attempts(error)).toBe(errorBefore + 1);
    expect(await attempts(cancelled)).toBe(cancelledBefore + 1);
  });
});
