/**
 * The latency histogram of a whole run, binned in PostgreSQL (width_bucket) so the dashboard never
 * has to page through every result: one pass for the range and percentiles, one for the counts.
 */
import type { DataSource } from 'typeorm';

export interface LatencyBin {
  lower_ms: number;
  upper_ms: number;
  count: number;
}

export interface LatencyHistogram {
  run_id: string;
  /** Succeeded results with a latency: the ones binned. */
  count: number;
  /** Results left out: failed, or still without a latency. */
  excluded: number;
  min_ms: number | null;
  max_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  bin_width_ms: number | null;
  bins: LatencyBin[];
}

/** 1, 2 or 5 × 10ⁿ milliseconds, at least 1. */
const NICE_STEPS = [1, 2, 5];

export function niceWidth(raw: number): number {
  if (!(raw > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const step of NICE_STEPS) if (step * magnitude >= raw) return step * magnitude;
  return 10 * magnitude;
}

/** Bins of a nice width that start on a multiple of it and hold [min, max] in at most `maxBins`. */
export function binLayout(min: number, max: number, maxBins: number) {
  let width = niceWidth((max - min) / maxBins);
  for (;;) {
    const start = Math.floor(min / width) * width;
    const count = Math.floor((max - start) / width) + 1;
    if (count <= maxBins) return { start, width, count };
    width = niceWidth(width * 1.5);
  }
}

const BINNED = `run_id = $1 AND status = 'succeeded' AND latency_ms IS NOT NULL`;

export async function latencyHistogram(
  dataSource: DataSource,
  runId: string,
  maxBins: number,
): Promise<LatencyHistogram> {
  const [stats]: Array<{
    n: number;
    total: number;
    lo: number | null;
    hi: number | null;
    p50: number | null;
    p95: number | null;
  }> = await dataSource.query(
    `SELECT count(*) FILTER (WHERE status = 'succeeded' AND latency_ms IS NOT NULL)::int AS n,
            count(*)::int AS total,
            min(latency_ms) FILTER (WHERE status = 'succeeded')::float8 AS lo,
            max(latency_ms) FILTER (WHERE status = 'succeeded')::float8 AS hi,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status = 'succeeded') AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status = 'succeeded') AS p95
       FROM eval_results WHERE run_id = $1`,
    [runId],
  );
  const empty = {
    run_id: runId,
    count: 0,
    excluded: stats.total,
    min_ms: null,
    max_ms: null,
    p50_ms: null,
    p95_ms: null,
    bin_width_ms: null,
    bins: [],
  };
  if (stats.n === 0 || stats.lo === null || stats.hi === null) return empty;
  const { start, width, count } = binLayout(stats.lo, stats.hi, maxBins);
  // Every latency is < start + count × width, so width_bucket gives 1…count (never the overflow bucket).
  const rows: Array<{ bucket: number; n: number }> = await dataSource.query(
    `SELECT width_bucket(latency_ms::float8, $2::float8, $3::float8, $4::int) AS bucket, count(*)::int AS n
       FROM eval_results WHERE ${BINNED} GROUP BY bucket`,
    [runId, start, start + count * width, count],
  );
  const counts = new Map(rows.map((r) => [Number(r.bucket), r.n]));
  return {
    run_id: runId,
    count: stats.n,
    excluded: stats.total - stats.n,
    min_ms: stats.lo,
    max_ms: stats.hi,
    p50_ms: stats.p50,
    p95_ms: stats.p95,
    bin_width_ms: width,
    bins: Array.from({ length: count }, (_, i) => ({
      lower_ms: start + i * width,
      upper_ms: start + (i + 1) * width,
      count: counts.get(i + 1) ?? 0,
    })),
  };
}
