import { EvalRun, GuardrailConfig } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';

/** Share of samples a judge must pass for its guardrail to hold, unless the config sets
 * `min_pass_rate`: safety judges tolerate nothing; quality judges tolerate a few misses. */
export const DEFAULT_MIN_PASS_RATE: Record<string, number> = { pii: 1, toxicity: 1 };
export const DEFAULT_QUALITY_MIN_PASS_RATE = 0.8;

export interface JudgeSummary {
  n: number;
  errors: number;
  mean_score: number | null;
  pass_rate: number | null;
  cost_usd: number;
}

export interface GuardrailResult {
  judge_type: string;
  is_blocking: boolean;
  threshold: number;
  min_pass_rate: number;
  pass_rate: number | null;
  passed: boolean;
  reason: string;
}

export interface RunSummary {
  samples: { total: number; succeeded: number; failed: number; cached: number };
  latency_ms: { p50: number | null; p95: number | null; mean: number | null };
  tokens: { input: number; output: number };
  cost_usd: { generation: number; judges: number; total: number };
  judges: Record<string, JudgeSummary>;
  guardrails: GuardrailResult[];
  verdict: 'pass' | 'fail';
  blocking_failures: string[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function makeSummarizeRun(deps: ActivityDeps) {
  return async function summarizeRun(
    runId: string,
  ): Promise<Pick<RunSummary, 'verdict' | 'blocking_failures'>> {
    const q = deps.dataSource;
    const [results] = await q.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE cached)::int AS cached,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status = 'succeeded') AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status = 'succeeded') AS p95,
              avg(latency_ms) FILTER (WHERE status = 'succeeded') AS mean,
              COALESCE(sum(token_count_input), 0)::bigint AS input_tokens,
              COALESCE(sum(token_count_output), 0)::bigint AS output_tokens,
              COALESCE(sum(cost_usd), 0) AS cost
         FROM eval_results WHERE run_id = $1`,
      [runId],
    );
    const judgeRows: Array<Record<string, unknown>> = await q.query(
      `SELECT judge_type, count(*)::int AS n,
              count(*) FILTER (WHERE error IS NOT NULL)::int AS errors,
              avg(score) AS mean_score,
              avg(CASE WHEN passed THEN 1.0 ELSE 0.0 END) AS pass_rate,
              COALESCE(sum(cost_usd), 0) AS cost
         FROM judge_scores WHERE run_id = $1 GROUP BY judge_type ORDER BY judge_type`,
      [runId],
    );
    const judges: Record<string, JudgeSummary> = {};
    for (const r of judgeRows) {
      judges[String(r.judge_type)] = {
        n: Number(r.n),
        errors: Number(r.errors),
        mean_score: num(r.mean_score),
        pass_rate: num(r.pass_rate),
        cost_usd: Number(r.cost),
      };
    }

    const run = await q.getRepository(EvalRun).findOneByOrFail({ id: runId });
    const configs = await q
      .getRepository(GuardrailConfig)
      .findBy({ project_id: run.project_id, enabled: true });
    const guardrails = configs
      .filter((g) => judges[g.judge_type])
      .map((g) => evaluateGuardrail(g, judges[g.judge_type]));
    const blocking_failures = guardrails.filter((g) => g.is_blocking && !g.passed).map((g) => g.judge_type);

    const generationCost = Number(results.cost);
    const judgeCost = Object.values(judges).reduce((s, j) => s + j.cost_usd, 0);
    const summary: RunSummary = {
      samples: {
        total: results.total,
        succeeded: results.succeeded,
        failed: results.failed,
        cached: results.cached,
      },
      latency_ms: { p50: num(results.p50), p95: num(results.p95), mean: num(results.mean) },
      tokens: { input: Number(results.input_tokens), output: Number(results.output_tokens) },
      cost_usd: { generation: generationCost, judges: judgeCost, total: generationCost + judgeCost },
      judges,
      guardrails,
      verdict: blocking_failures.length ? 'fail' : 'pass',
      blocking_failures,
    };
    // Merge: later stages (regressions) add their own keys to the same summary.
    await q.query(
      `UPDATE eval_runs SET summary = summary || $2::jsonb, input_tokens = $3, output_tokens = $4,
              cost_usd = $5, judge_cost_usd = $6, updated_at = now() WHERE id = $1`,
      [
        runId,
        JSON.stringify(summary),
        summary.tokens.input,
        summary.tokens.output,
        generationCost,
        judgeCost,
      ],
    );
    return { verdict: summary.verdict, blocking_failures };
  };
}

export function evaluateGuardrail(config: GuardrailConfig, judge: JudgeSummary): GuardrailResult {
  const configured = Number((config.config as { min_pass_rate?: unknown }).min_pass_rate);
  const min_pass_rate = Number.isFinite(configured)
    ? configured
    : (DEFAULT_MIN_PASS_RATE[config.judge_type] ?? DEFAULT_QUALITY_MIN_PASS_RATE);
  const passed = judge.pass_rate !== null && judge.pass_rate >= min_pass_rate;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
  return {
    judge_type: config.judge_type,
    is_blocking: config.is_blocking,
    threshold: config.threshold,
    min_pass_rate,
    pass_rate: judge.pass_rate,
    passed,
    reason: passed
      ? `${config.judge_type}: ${pct(judge.pass_rate)} passed (needs ${pct(min_pass_rate)})`
      : `${config.judge_type}: only ${pct(judge.pass_rate)} passed, needs ${pct(min_pass_rate)}`,
  };
}
