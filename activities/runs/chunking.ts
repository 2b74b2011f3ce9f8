/** Samples per generate activity: big enough that history stays small, small enough that a retried
 * chunk repeats little work (and it skips what is already done anyway). */
export const DEFAULT_CHUNK_SIZE = 50;
export const MAX_CHUNK_SIZE = 1_000;
/** Chunks in flight at once per run, unless the run says otherwise: at least MIN_PARALLEL_CHUNKS, more
 * for a wide endpoint (see defaultParallelChunks); per-endpoint limits still bound the actual calls. */
export const MIN_PARALLEL_CHUNKS = 4;
export const MAX_DEFAULT_PARALLEL_CHUNKS = 16;
/** Samples a run keeps in its chunks in flight per slot of the endpoint's concurrency. A chunk ends with
 * its slowest sample — often one waiting out Retry-Afters or retrying a stuck call for seconds — and the
 * next chunk starts only then; the chunks after it must hold enough samples to keep every slot busy
 * meanwhile. (Issue 20: 4 chunks of 50 on 16 slots left about half of them idle under faults.) */
export const SAMPLES_IN_FLIGHT_PER_SLOT = 32;

export function defaultParallelChunks(concurrency: number, chunkSize: number): number {
  const wanted = Math.ceil((concurrency * SAMPLES_IN_FLIGHT_PER_SLOT) / chunkSize);
  return Math.min(MAX_DEFAULT_PARALLEL_CHUNKS, Math.max(MIN_PARALLEL_CHUNKS, wanted));
}

export function chunkCount(totalSamples: number, chunkSize: number) {
  return Math.ceil(totalSamples / chunkSize);
}

/** Positions [from, to) of a chunk inside the pinned dataset version. */
export function chunkPositions(chunkIndex: number, chunkSize: number) {
  return { from: chunkIndex * chunkSize, to: (chunkIndex + 1) * chunkSize };
}
