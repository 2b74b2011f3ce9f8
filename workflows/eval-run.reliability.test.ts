/**
 * Crash-proof runs: the production worker entry point runs as a child process that the test kills,
 * the Temporal server is restarted and database connections are cut, all mid-run. Every run must
 * complete with exactly one result per sample.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../api/deps.js';
import { startRun } from '../api/services/runs.js';
import { createLogger } from '../lib/logger.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { type FakeLlmServer, startFakeLlmServer } from '../test/fakes/llm-server.js';
import { createProjectFixture } from '../test/fixtures/projects.js';
import {
  createTestDatabase,
  createTestTemporal,
  freePort,
  isProcessAlive,
  killDatabaseConnections,
  spawnWorkerProcess,
  startRestartableTemporal,
  type TestDatabase,
  type TestTemporal,
} from '../test/helpers/index.js';

let db: TestDatabase;
let temporal: TestTemporal;
let llm: FakeLlmServer;

beforeAll(async () => {
  [db, temporal, llm] = await Promise.all([
    createTestDatabase(),
    createTestTemporal(),
    startFakeLlmServer({ seed: 11 }),
  ]);
});
afterAll(async () => {
  await llm?.close();
  await temporal?.close();
  await db?.drop();
});

const deps = (client: Client): ApiDeps => ({
  dataSource: db.dataSource,
  temporal: client,
  logger: createLogger('test', 'silent'),
  mode: 'dev',
  temporalUiUrl: null,
});

async function resultCounts(runId: string) {
  const [row] = await db.dataSource.query(
    `SELECT count(*)::int AS rows, count(DISTINCT (sample_id, repetition))::int AS distinct_samples
       FROM eval_results WHERE run_id = $1`,
    [runId],
  );
  return row as { rows: number; distinct_samples: number };
}

async function startFixtureRun(client: Client, samples: number, model: string, latencyMs: number) {
  llm.setModelBehaviour(model, { latency: { baseMs: latencyMs } });
  const fx = await createProjectFixture(db.dataSource, {
    samples,
    modelName: model,
    endpointUrl: llm.openaiBaseUrl,
    endpointConfig: { concurrency: 10 },
  });
  const { run } = await startRun(deps(client), {
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    endpoint_id: fx.endpoint.id,
    chunk_size: 50,
    max_parallel_chunks: 2,
  });
  return run;
}

describe('evalRun survives crashes', () => {
  it('completes a 1,000-sample run with exactly one result per sample while its worker is SIGKILLed three times', async () => {
    const run = await startFixtureRun(temporal.client, 1_000, 'model-crash', 40);
    let worker = await spawnWorkerProcess({ temporal, databaseUrl: db.url });
    // Kill at random points spread over the run (the thresholds are printed if the test fails).
    const thresholds = [100, 400, 700].map((base) => base + Math.floor(Math.random() * 150));
    for (const threshold of thresholds) {
      await expect
        .poll(async () => (await resultCounts(run.id)).rows, { timeout: 120_000, interval: 100 })
        .toBeGreaterThanOrEqual(threshold);
      const pid = worker.process.pid!;
      worker.process.kill('SIGKILL');
      await worker.exited;
      expect(isProcessAlive(pid), `worker killed at ${threshold} results (thresholds ${thresholds})`).toBe(
        false,
      );
      worker = await spawnWorkerProcess({ temporal, databaseUrl: db.url });
    }
    try {
      const outcome = await temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
      expect(outcome.status).toBe('completed');
      expect(await resultCounts(run.id)).toEqual({ rows: 1_000, distinct_samples: 1_000 });
      expect(outcome.progress.done).toBe(1_000);
    } finally {
      await worker.stop();
    }
    // Each kill leaves its chunks to the activity heartbeat timeout (20 s) before they move on.
  }, 300_000);

  it('completes when database connections are cut mid-run', async () => {
    const run = await startFixtureRun(temporal.client, 300, 'model-db-drop', 30);
    const worker = await spawnWorkerProcess({ temporal, databaseUrl: db.url });
    try {
      await expect
        .poll(async () => (await resultCounts(run.id)).rows, { timeout: 60_000, interval: 100 })
        .toBeGreaterThan(60);
      expect(await killDatabaseConnections(db.url)).toBeGreaterThan(0);
      const outcome = await temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
      expect(outcome.status).toBe('completed');
      expect(await resultCounts(run.id)).toEqual({ rows: 300, distinct_samples: 300 });
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('completes when the (file-backed) Temporal server restarts mid-run', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'temporal-restart-'));
    const server = await startRestartableTemporal({
      port: await freePort(),
      dbFile: path.join(dir, 'temporal.sqlite'),
    });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: 'default' });
    const own: TestTemporal = {
      ...temporal,
      address: server.address,
      namespace: 'default',
      connection,
      client,
    };
    const worker = await spawnWorkerProcess({ temporal: own, databaseUrl: db.url });
    try {
      const run = await startFixtureRun(client, 300, 'model-temporal-restart', 30);
      await expect
        .poll(async () => (await resultCounts(run.id)).rows, { timeout: 60_000, interval: 100 })
        .toBeGreaterThan(60);
      await server.restart();
      const outcome = await client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
      expect(outcome.status).toBe('completed');
      expect(await resultCounts(run.id)).toEqual({ rows: 300, distinct_samples: 300 });
    } finally {
      await worker.stop();
      await connection.close();
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
