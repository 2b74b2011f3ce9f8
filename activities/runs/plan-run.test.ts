import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { createTestDatabase, type TestDatabase, testActivityDeps } from '../../test/helpers/index.js';
import {
  DEFAULT_CHUNK_SIZE,
  defaultParallelChunks,
  MAX_DEFAULT_PARALLEL_CHUNKS,
  MIN_PARALLEL_CHUNKS,
  SAMPLES_IN_FLIGHT_PER_SLOT,
} from './chunking.js';
import { makePlanRun } from './plan-run.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function plan(endpointConfig: Record<string, unknown>, runConfig: Record<string, unknown> = {}) {
  const f = await createProjectFixture(db.dataSource, { samples: 500, endpointConfig });
  const run = await db.dataSource.getRepository(EvalRun).save({
    project_id: f.project.id,
    dataset_id: f.dataset.id,
    dataset_version_id: f.version.id,
    endpoint_id: f.endpoint.id,
    status: 'pending',
    repetitions: 1,
    use_cache: false,
    budget_usd: null,
    config: runConfig,
  } as EvalRun);
  return makePlanRun(testActivityDeps(db.dataSource))(run.id);
}

describe('parallel chunks', () => {
  it('keep about SAMPLES_IN_FLIGHT_PER_SLOT samples per slot of the endpoint in flight, within bounds', () => {
    expect(defaultParallelChunks(16, 50)).toBe(Math.ceil((16 * SAMPLES_IN_FLIGHT_PER_SLOT) / 50));
    expect(defaultParallelChunks(1, 50)).toBe(MIN_PARALLEL_CHUNKS);
    expect(defaultParallelChunks(512, 50)).toBe(MAX_DEFAULT_PARALLEL_CHUNKS);
    // Bigger chunks hold more samples each: fewer of them.
    expect(defaultParallelChunks(16, 200)).toBe(MIN_PARALLEL_CHUNKS);
  });

  it("a run's plan follows its endpoint's concurrency unless the run sets its own", async () => {
    expect((await plan({ concurrency: 16 })).maxParallelChunks).toBe(
      defaultParallelChunks(16, DEFAULT_CHUNK_SIZE),
    );
    expect((await plan({ concurrency: 16 })).maxParallelChunks).toBeGreaterThan(MIN_PARALLEL_CHUNKS);
    expect((await plan({})).maxParallelChunks).toBe(MIN_PARALLEL_CHUNKS);
    expect((await plan({ concurrency: 16 }, { max_parallel_chunks: 2 })).maxParallelChunks).toBe(2);
    expect((await plan({ concurrency: 16 }, { chunk_size: 250 })).maxParallelChunks).toBe(
      MIN_PARALLEL_CHUNKS,
    );
    // An endpoint config that generation will refuse does not stop planning: the default applies.
    expect((await plan({ concurrency: 'many' })).maxParallelChunks).toBe(MIN_PARALLEL_CHUNKS);
  });
});
