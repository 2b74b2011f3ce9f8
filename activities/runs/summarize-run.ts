import { readRunGuardrails } from '../../core/config-run.js';
import { evaluateGuardrails, type JudgeScoreCounts, judgesForRun } from '../../core/gate.js';
import type { JudgeSummary, RunSummary, RunVerdict } from '../../core/run-summary.js';
import { EvalRun, GuardrailConfig } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';

/** What the workflow needs from the summary: the verdict, and whether any sample produced output. */
export interface SummarizeOutcome {
  verdict: RunVerdict;
  blocking_failures: string[];
  samples: { total: number; succeeded: number; failed: number };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function makeSummarizeRun(deps: ActivityDeps) {
  return async function summarizeRun(runId: string): Promise<SummarizeOutcome> {
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
    // A judge error is not a pass and not a score: pass_rate and mean_score are over scored rows only.
    const judgeRows: Array<Record<string, unknown>> = await q.query(
      `SELECT judge_type, count(*)::int AS n,
              count(*) FILTER (WHERE error IS NOT NULL)::int AS errors,
              count(*) FILTER (WHERE error IS NULL AND passed)::int AS passed,
              avg(score) FILTER (WHERE error IS NULL) AS mean_score,
              avg(CASE WHEN passed THEN 1.0 ELSE 0.0 END) FILTER (WHERE error IS NULL) AS pass_rate,
              COALESCE(sum(cost_usd), 0) AS cost
         FROM judge_scores WHERE run_id = $1 GROUP BY judge_type ORDER BY judge_type`,
      [runId],
    );
    const judges: Record<string, JudgeSummary> = {};
    const scoreCounts: Record<string, JudgeScoreCounts> = {};
    for (const r of judgeRows) {
      const judgeType = String(r.judge_type);
      judges[judgeType] = {
        n: Number(r.n),
        errors: Number(r.errors),
        passed: Number(r.passed),
        mean_score: num(r.mean_score),
        pass_rate: num(r.pass_rate),
        cost_usd: Number(r.cost),
      };
      scoreCounts[judgeType] = {
        scored: Number(r.n) - Number(r.errors),
        passed: Number(r.passed),
        errors: Number(r.errors),
      };
    }

    const run = await q.getRepository(EvalRun).findOneByOrFail({ id: runId });
    // The run's own guardrails (from its evalforge.yaml) when it has them, else the project's enabled rows.
    const enabled =
      readRunGuardrails(run.config) ??
      (await q.getRepository(GuardrailConfig).findBy({ project_id: run.project_id, enabled: true }));
    // The guardrails of the judges this run evaluated (a run-time selection never drops a blocking one).
    const planned = new Set(judgesForRun(enabled, (run.config as { judges?: string[] }).judges));
    const samples = {
      expected: run.total_samples,
      total: results.total,
      succeeded: results.succeeded,
      failed: results.failed,
    };
    const gate = evaluateGuardrails({
      samples,
      guardrails: enabled.filter((g) => planned.has(g.judge_type)),
      judges: scoreCounts,
    });

    const generationCost = Number(results.cost);
    const judgeCost = Object.values(judges).reduce((s, j) => s + j.cost_usd, 0);
    const summary: RunSummary = {
      samples: { ...samples, cached: results.cached },
      latency_ms: { p50: num(results.p50), p95: num(results.p95), mean: num(results.mean) },
      tokens: { input: Number(results.input_tokens), output: Number(results.output_tokens) },
      cost_usd: { generation: generationCost, judges: judgeCost, total: generationCost + judgeCost },
      judges,
      ...gate,
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
    return { verdict: gate.verdict, blocking_failures: gate.blocking_failures, samples };
  };
}
