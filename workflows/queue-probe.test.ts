import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../temporal.config.js';
import {
  createTestDatabase,
  createTestTemporal,
  isProcessAlive,
  spawnWorkerProcess,
  startInProcessWorker,
  type TestDatabase,
  type TestTemporal,
  testActivityDeps,
} from '../test/helpers/index.js';
import { queueProbe } from './index.js';

let db: TestDatabase;
let temporal: TestTemporal;

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

describe('queueProbe workflow on a real Temporal server', () => {
  it('reaches a worker on every task queue (in-process worker)', async () => {
    const worker = await startInProcessWorker({ temporal, deps: testActivityDeps(db.dataSource) });
    try {
      const results = await temporal.client.workflow.execute(queueProbe, {
        taskQueue: TASK_QUEUES.orchestration,
        workflowId: `probe-${Date.now()}`,
        args: [[...ALL_TASK_QUEUES]],
      });
      expect(results.map((r) => r.queue)).toEqual(ALL_TASK_QUEUES);
      for (const r of results) {
        expect(r.error).toBeNull();
        expect(r.worker).toMatchObject({ taskQueue: r.queue, pid: process.pid, databaseReachable: true });
      }
    } finally {
      await worker.stop();
    }
  });

  it('reports a queue nobody serves instead of hanging', async () => {
    const worker = await startInProcessWorker({
      temporal,
      deps: testActivityDeps(db.dataSource),
      queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm],
    });
    try {
      const results = await temporal.client.workflow.execute(queueProbe, {
        taskQueue: TASK_QUEUES.orchestration,
        workflowId: `probe-partial-${Date.now()}`,
        args: [[TASK_QUEUES.llm, TASK_QUEUES.judgesGpu], 2],
      });
      expect(results[0]).toMatchObject({ queue: 'llm', error: null });
      expect(results[1].worker).toBeNull();
      expect(results[1].error).toMatch(/timeout|timed out/i);
    } finally {
      await worker.stop();
    }
  });

  it('runs on the production worker entry point as a child process that can be killed', async () => {
    const child = await spawnWorkerProcess({ temporal, databaseUrl: db.url });
    const pid = child.process.pid!;
    try {
      const results = await temporal.client.workflow.execute(queueProbe, {
        taskQueue: TASK_QUEUES.orchestration,
        workflowId: `probe-child-${Date.now()}`,
        args: [[TASK_QUEUES.judgesCpu]],
      });
      expect(results[0].worker).toMatchObject({ pid, databaseReachable: true, taskQueue: 'judges.cpu' });
      expect(results[0].worker?.nodeVersion).toMatch(/^v24\./);
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    expect(isProcessAlive(pid)).toBe(false);
  });
});
