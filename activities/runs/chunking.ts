/** Samples per generate activity: big enough that history stays small, small enough that a retried
 * chunk repeats little work (and it skips what is already done anyway). */
export const DEFAULT_CHUNK_SIZE = 50;
export const MAX_CHUNK_SIZE = 1_000;
/** Chunks in flight at once per run; per-endpoint limits still bound the actual model calls. */
export const DEFAULT_MAX_PARALLEL_CHUNKS = 4;

export function chunkCount(totalSamples: number, chunkSize: number) {
  return Math.ceil(totalSamples / chunkSize);
}

/** Positions [from, to) of a chunk inside the pinned dataset version. */
export function chunkPositions(chunkIndex: number, chunkSize: number) {
  return { from: chunkIndex * chunkSize, to: (chunkIndex + 1) * chunkSize };
}
