/**
 * The CSV export of a run: one row per result, streamed a page at a time (iterateResults). Its columns
 * are fixed before the first row, from two small queries: the judges that scored the run (score_<judge>
 * and passed_<judge>) and the union of its samples' metadata keys (metadata.<key>, one level: nested
 * values are written as JSON). The human review columns hold the newest overall review of the result.
 */
import type { DataSource } from 'typeorm';
import type { EvalRun } from '../../db/entities/index.js';
import { iterateResults } from './run-results.js';

/** Columns every export has, in order (the keys of a result row, `result_id` for its id). */
export const CSV_FIXED_COLUMNS = [
  'result_id',
  'sample_key',
  'repetition',
  'status',
  'input_text',
  'reference_output',
  'llm_output',
  'error',
  'latency_ms',
  'token_count_input',
  'token_count_output',
  'cost_usd',
  'cached',
  // Every judge in one cell (judge=score(pass|fail); …), as before the per-judge columns existed.
  'scores',
] as const;

export const CSV_REVIEW_COLUMNS = [
  'review_passed',
  'review_score',
  'review_comment',
  'review_reviewer',
] as const;

export interface CsvLayout {
  judges: string[];
  metadataKeys: string[];
  header: string[];
}

/** The columns of a run's export: fixed, then per judge (sorted), then the review, then metadata keys (sorted). */
export async function csvLayout(
  ds: DataSource,
  run: Pick<EvalRun, 'id' | 'dataset_version_id'>,
): Promise<CsvLayout> {
  const [judgeRows, keyRows]: [{ judge_type: string }[], { key: string }[]] = await Promise.all([
    ds.query('SELECT DISTINCT judge_type FROM judge_scores WHERE run_id = $1 ORDER BY 1', [run.id]),
    // The run's results are samples of its dataset version: their keys are the version's keys.
    ds.query(
      `SELECT DISTINCT k.key FROM eval_samples s, jsonb_object_keys(s.metadata) AS k(key)
        WHERE s.dataset_version_id = $1 AND jsonb_typeof(s.metadata) = 'object' ORDER BY 1`,
      [run.dataset_version_id],
    ),
  ]);
  const judges = judgeRows.map((r) => r.judge_type);
  const metadataKeys = keyRows.map((r) => r.key);
  return {
    judges,
    metadataKeys,
    header: [
      ...CSV_FIXED_COLUMNS,
      ...judges.flatMap((j) => [`score_${j}`, `passed_${j}`]),
      ...CSV_REVIEW_COLUMNS,
      ...metadataKeys.map((k) => `metadata.${k}`),
    ],
  };
}

interface ExportRow extends Record<string, unknown> {
  id: string;
  metadata?: unknown;
  scores?: { judge_type: string; score: number | null; passed: boolean }[];
  review?: { passed: boolean; score: number | null; comment: string | null; reviewer: string } | null;
}

/** A metadata value as one cell: scalars as they are, objects and arrays as JSON, null/absent empty. */
function metadataCell(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** One result as the cells of `layout.header`, in order. */
export function csvRow(row: ExportRow, layout: CsvLayout): unknown[] {
  const scores = row.scores ?? [];
  const byJudge = new Map(scores.map((s) => [s.judge_type, s]));
  const metadata =
    row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata)
      ? (row.metadata as Record<string, unknown>)
      : {};
  const review = row.review ?? null;
  const fixed = CSV_FIXED_COLUMNS.map((c) => {
    if (c === 'result_id') return row.id;
    if (c === 'scores')
      return scores
        .map((s) => `${s.judge_type}=${s.score ?? 'error'}(${s.passed ? 'pass' : 'fail'})`)
        .join('; ');
    return row[c] ?? '';
  });
  return [
    ...fixed,
    ...layout.judges.flatMap((j) => {
      const s = byJudge.get(j);
      return s ? [s.score ?? '', s.passed] : ['', ''];
    }),
    review ? review.passed : '',
    review?.score ?? '',
    review?.comment ?? '',
    review?.reviewer ?? '',
    ...layout.metadataKeys.map((k) => metadataCell(metadata[k])),
  ];
}

/** The header, then every result's cells, in sample order (memory stays flat whatever the run's size). */
export async function* csvRecords(ds: DataSource, run: Pick<EvalRun, 'id' | 'dataset_version_id'>) {
  const layout = await csvLayout(ds, run);
  yield layout.header as unknown[];
  for await (const row of iterateResults(ds, run.id, 1_000, { review: true })) {
    yield csvRow(row as ExportRow, layout);
  }
}
