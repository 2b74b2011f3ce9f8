import type { ActivityDeps } from '../deps.js';
import { chunkPositions } from './chunking.js';
import type { ChunkGeneration, ChunkRef } from './types.js';

export type GenerateSamples = (input: { runId: string; sampleIds: string[] }) => Promise<{
  succeeded: number;
  failed: number;
  skipped: number;
  budgetExceeded: boolean;
}>;

/** Resolves a chunk (positions in the pinned dataset version) to sample ids and generates them;
 * returns the ids of its succeeded results for the judge stage. Workflow payloads stay tiny. */
export function makeGenerateRunChunk(deps: ActivityDeps, generateSamples: GenerateSamples) {
  return async function generateRunChunk(chunk: ChunkRef): Promise<ChunkGeneration> {
    const { from, to } = chunkPositions(chunk.chunkIndex, chunk.chunkSize);
    const samples: { id: string }[] = await deps.dataSource.query(
      `SELECT s.id FROM eval_samples s JOIN eval_runs r ON r.dataset_version_id = s.dataset_version_id
        WHERE r.id = $1 AND s.position >= $2 AND s.position < $3 ORDER BY s.position`,
      [chunk.runId, from, to],
    );
    const sampleIds = samples.map((s) => s.id);
    const outcome = await generateSamples({ runId: chunk.runId, sampleIds });
    // Counts come from the database, not from this attempt: a retried chunk skips what an earlier
    // attempt stored, and progress must still count it exactly once.
    const results: { id: string; status: string }[] = await deps.dataSource.query(
      `SELECT id, status FROM eval_results WHERE run_id = $1 AND sample_id = ANY($2::uuid[])
        ORDER BY sample_id, repetition`,
      [chunk.runId, sampleIds],
    );
    const succeeded = results.filter((r) => r.status === 'succeeded');
    return {
      succeeded: succeeded.length,
      failed: results.length - succeeded.length,
      skipped: outcome.skipped,
      budgetExceeded: outcome.budgetExceeded,
      resultIds: succeeded.map((r) => r.id),
    };
  };
}
