/** Result objects shaped like GET /api/eval/runs/{id}/results items, for component tests. */
import type { Result, Score } from '../api/client';

let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export function makeScore(
  judge_type: string,
  score: number | null,
  passed: boolean,
  extra: Partial<Score> = {},
): Score {
  return {
    id: uuid(),
    judge_type,
    score,
    passed,
    details: {},
    error: null,
    model_id: null,
    model_revision: null,
    dtype: null,
    cost_usd: null,
    ...extra,
  };
}

export function makeResult(overrides: Partial<Result> = {}): Result {
  return {
    id: uuid(),
    sample_id: uuid(),
    sample_key: `s${seq}`,
    repetition: 0,
    status: 'succeeded',
    input_text: 'What is 2 + 2?',
    reference_output: '4',
    metadata: {},
    llm_output: '4',
    error: null,
    finish_reason: 'stop',
    latency_ms: 120,
    token_count_input: 10,
    token_count_output: 2,
    cost_usd: 0.0001,
    cached: false,
    attempts: 1,
    scores: [],
    ...overrides,
  };
}
