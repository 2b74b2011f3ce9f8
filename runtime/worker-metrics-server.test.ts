import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../temporal.config.js';
import {
  createTestDatabase,
  createTestTemporal,
  duplicateFamilies,
  freePort,
  isPortOpen,
  parsePrometheusText,
  sampleValue,
  spawnWorkerProcess,
  type TestDatabase,
  type TestTemporal,
} from '../test/helpers/index.js';
import { queueProbe } from '../workflows/index.js';

let db: TestDatabase;
let temporal: TestTemporal;

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

describe('a worker process started with EVALFORGE_METRICS_PORT', () => {
  it('serves Temporal SDK metrics and its own on one port, a health check, and stops cleanly', async () => {
    const [metricsPort, sdkPort] = [await freePort(), await freePort()];
    const child = await spawnWorkerProcess({
      temporal,
      databaseUrl: db.url,
      queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm],
      env: { EVALFORGE_METRICS_PORT: String(metricsPort), EVALFORGE_TEMPORAL_METRICS_PORT: String(sdkPort) },
    });
    const base = `http://127.0.0.1:${metricsPort}`;
    try {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: 'ok',
        workers: [
          { taskQueue: 'orchestration', state: 'RUNNING' },
          { taskQueue: 'llm', state: 'RUNNING' },
        ],
      });

      const results = await temporal.client.workflow.execute(queueProbe, {
        taskQueue: TASK_QUEUES.orchestration,
        workflowId: `probe-metrics-${Date.now()}`,
        args: [[TASK_QUEUES.llm]],
      });
      expect(results[0].error).toBeNull();

      // The SDK exports on an interval, so its counters can trail the activity by a moment.
      let text = '';
      await expect
        .poll(
          async () => {
            text = await (await fetch(`${base}/metrics`)).text();
            return sampleValue(parsePrometheusText(text), 'temporal_activity_execution_latency_count', {
              activity_type: 'describeWorker',
              task_queue: 'llm',
            });
          },
          { timeout: 15_000, interval: 250 },
        )
        .toBe(1);
      const samples = parsePrometheusText(text);
      expect(
        sampleValue(samples, 'evalforge_activity_duration_seconds_count', {
          activity_type: 'describeWorker',
          task_queue: 'llm',
          outcome: 'ok',
        }),
      ).toBe(1);
      expect(samples.some((s) => s.name.startsWith('temporal_workflow_task'))).toBe(true);
      expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(duplicateFamilies(text)).toEqual([]);
      // The SDK exporter itself listens on loopback only; the worker port is the one to scrape.
      expect(await isPortOpen(sdkPort)).toBe(true);
    } finally {
      child.process.kill('SIGTERM');
    }
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(await isPortOpen(metricsPort)).toBe(false);
  });
});
