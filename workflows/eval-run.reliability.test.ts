/**
 * Crash-proof runs: the production worker entry point runs as a child process that the test kills,
 * the Temporal server is restarted and database connections are cut, all mid-run. Every run must
 * complete with exactly one result per sample.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../api/deps.js';
import { startRun } from '../api/services/runs.js';
import { createLogger } from '../lib/logger.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { type FakeLlmServer, type RecordedRequest, startFakeLlmServer } from '../test/fakes/llm-server.js';
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

/** Inputs of the run's stored results: one per (sample, repetition) — the crash run has one repetition
 * and a distinct input per sample, so a model request's input names its result. */
async function storedInputs(runId: string): Promise<Set<string>> {
  const rows: { input: string }[] = await db.dataSource.query(
    `SELECT s.input_text AS input FROM eval_results r JOIN eval_samples s ON s.id = r.sample_id
      WHERE r.run_id = $1`,
    [runId],
  );
  return new Set(rows.map((r) => r.input));
}

interface Kill {
  /** Date.now() just before the SIGKILL. */
  at: number;
  /** The dead worker's requests had all ended at the fake server and the next worker was not started yet. */
  settledAt: number;
  /** Inputs stored once the killed worker had exited. */
  stored: Set<string>;
}

/**
 * Model calls made again because of the kills, and why. The calls between two kills are one worker's
 * (an epoch); several calls of one input within an epoch are that worker's own hedged duplicates (or
 * retries of a failed attempt), not repeats. A repeat is an input called again in a later epoch. An input is lost at a kill when the
 * dead worker had called it and not stored it: its call was still in flight (the server had not
 * answered), or its answer had arrived but the row was not yet committed — a short window (one
 * database round trip, longer on a loaded machine) that SIGKILL can hit and that no design closes: the
 * row can only be written once the answer is there. Each lost input justifies one repeat; an input stored before a kill and called after it is
 * work the retried chunk should have skipped.
 */
function crashRepeats(calls: RecordedRequest[], kills: Kill[]) {
  const epochOf = (c: RecordedRequest) => {
    const i = kills.findIndex((k) => c.at <= k.settledAt);
    return i < 0 ? kills.length : i;
  };
  const epochsPerInput = new Map<string, Set<number>>();
  for (const c of calls) {
    const epochs = epochsPerInput.get(c.input) ?? new Set<number>();
    epochs.add(epochOf(c));
    epochsPerInput.set(c.input, epochs);
  }
  const repeats = [...epochsPerInput.values()].reduce((sum, epochs) => sum + epochs.size - 1, 0);
  const hedged = calls.length - [...epochsPerInput.values()].reduce((sum, epochs) => sum + epochs.size, 0);
  const inFlight = new Set<string>();
  const answered = new Set<string>();
  let storedCalledAgain = 0;
  for (const c of calls) {
    const epoch = epochOf(c);
    const kill = kills[epoch];
    if (kill && !kill.stored.has(c.input)) {
      // Unanswered when the worker died: in flight at the kill (the worker sent it, nobody got the answer).
      if (c.answeredAt === undefined || c.answeredAt > kill.at) inFlight.add(`${epoch}:${c.input}`);
      else answered.add(`${epoch}:${c.input}`);
    }
    if (kills.some((k, i) => i < epoch && k.stored.has(c.input))) storedCalledAgain++;
  }
  for (const key of inFlight) answered.delete(key);
  return {
    repeats,
    hedged,
    inFlightAtKills: inFlight.size,
    answeredNotStored: answered.size,
    storedCalledAgain,
  };
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
    const kills: Kill[] = [];
    for (const threshold of thresholds) {
      await expect
        .poll(async () => (await resultCounts(run.id)).rows, { timeout: 120_000, interval: 100 })
        .toBeGreaterThanOrEqual(threshold);
      const pid = worker.process.pid!;
      const at = Date.now();
      worker.process.kill('SIGKILL');
      await worker.exited;
      expect(isProcessAlive(pid), `worker killed at ${threshold} results (thresholds ${thresholds})`).toBe(
        false,
      );
      // The fake server may still be reading requests the dead worker sent; every request before the next
      // worker starts is the dead one's.
      await delay(300);
      await expect.poll(() => llm.stats().inFlight, { timeout: 10_000, interval: 20 }).toBe(0);
      kills.push({ at, settledAt: Date.now(), stored: await storedInputs(run.id) });
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
    const calls = llm.requestsFor('model-crash');
    const figure = crashRepeats(calls, kills);
    const perKill = (n: number) => (n / kills.length).toFixed(1);
    console.log(
      `repeats per kill: ${perKill(figure.repeats)} (in flight at kill: ${perKill(figure.inFlightAtKills)}, ` +
        `answered but not yet stored: ${perKill(figure.answeredNotStored)}); ${calls.length} model calls for ` +
        `1,000 samples over ${kills.length} kills: ${figure.repeats} repeats, ${figure.hedged} hedged duplicates, ` +
        `${figure.storedCalledAgain} calls of stored results`,
    );
    expect(figure.storedCalledAgain, 'a stored result was generated again').toBe(0);
    // Only lost calls are made again: those in flight at a kill, plus answers that arrived in the
    // milliseconds before their row was committed (see crashRepeats).
    expect(figure.repeats).toBeLessThanOrEqual(figure.inFlightAtKills + figure.answeredNotStored);
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
