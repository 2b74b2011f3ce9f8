/**
 * mulberry32: a tiny seeded 32-bit PRNG. Deterministic across platforms and mirrored line by line in
 * scripts/reference/generate_stats_fixtures.py, so Python and TypeScript draw identical streams.
 */
export type Uint32Source = () => number;

export function mulberry32(seed: number): Uint32Source {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1) >>> 0;
    t = ((t + (Math.imul(t ^ (t >>> 7), t | 61) >>> 0)) >>> 0) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const TWO_POW_32 = 4294967296;

/** Uniform integer in [0, n): floor(u · n / 2^32), exact in doubles for n < 2^21. */
export function uniformIndex(next: Uint32Source, n: number): number {
  return Math.floor((next() * n) / TWO_POW_32);
}

/** Uniform double in [0, 1). */
export function uniformUnit(next: Uint32Source): number {
  return next() / TWO_POW_32;
}
