/**
 * What a test of whole runs needs: a fresh database, its own Temporal namespace, the local LLM server
 * and an in-process worker, set up in beforeAll and torn down in afterAll of the calling file.
 */
import { afterAll, beforeAll } from 'vitest';
import type { ApiDeps } from '../../api/deps.js';
import { createLogger } from '../../lib/logger.js';
import { type FakeLlmServer, startFakeLlmServer } from '../fakes/llm-server.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import {
  createTestTemporal,
  type InProcessWorker,
  startInProcessWorker,
  type TestTemporal,
  testActivityDeps,
} from './temporal.js';

export interface RunHarness {
  db: TestDatabase;
  temporal: TestTemporal;
  llm: FakeLlmServer;
  /** API dependencies over the harness' database and namespace (dev mode). */
  apiDeps(): ApiDeps;
}

export function useRunHarness(opts: { seed?: number } = {}): RunHarness {
  const harness = {} as RunHarness & { worker?: InProcessWorker };
  beforeAll(async () => {
    [harness.db, harness.temporal, harness.llm] = await Promise.all([
      createTestDatabase(),
      createTestTemporal(),
      startFakeLlmServer({ seed: opts.seed ?? 1 }),
    ]);
    harness.worker = await startInProcessWorker({
      temporal: harness.temporal,
      deps: testActivityDeps(harness.db.dataSource),
    });
  });
  afterAll(async () => {
    await harness.worker?.stop();
    await harness.llm?.close();
    await harness.temporal?.close();
    await harness.db?.drop();
  });
  harness.apiDeps = () => ({
    dataSource: harness.db.dataSource,
    temporal: harness.temporal.client,
    logger: createLogger('test', 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  });
  return harness;
}
