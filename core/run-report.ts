/**
 * A finished run as the seed's PR-comment markdown (activities/reporting's renderer) plus what a
 * gate needs. One builder for the GitHub App's check and comment and for GET /api/ci/report/{id}
 * (which the CLI prints and writes to $GITHUB_STEP_SUMMARY).
 */
import type { DataSource } from 'typeorm';
import { DatasetVersion, EvalDataset, EvalRun, LlmEndpoint } from '../db/entities/index.js';
import { DEFAULT_GATE_POLICY, decideGate, type GateDecision, type GatePolicy } from './gate.js';
import { runPageUrl } from './links.js';
import { escapeMarkdown, type PrCommentInput, renderPrCommentMarkdown } from './pr-comment-markdown.js';
import type { FinalRunStatus } from './run-status.js';
import { demonstrationJudges, type RunSummaryView, readRunSummary } from './run-summary.js';

/** Endpoint settings worth showing next to the model name (never URLs or secrets). */
export const SHOWN_MODEL_SETTINGS = ['temperature', 'top_p', 'max_tokens'] as const;

const STATUS_NOTES: Partial<Record<EvalRun['status'], string>> = {
  failed: '> ❌ **The eval run failed** before finishing',
  cancelled: '> ⏹️ **The eval run was cancelled**: results are partial',
  budget_exceeded: '> 💸 **The eval run hit its budget**: results are partial',
};

export interface RunReport {
  run: EvalRun;
  summary: RunSummaryView;
  markdown: string;
  /** The gate's decision under the policy asked for (by default regressions warn). */
  gate: GateDecision;
}

export async function buildRunReport(
  ds: DataSource,
  runId: string,
  publicUrl: string | null,
  policy: GatePolicy = DEFAULT_GATE_POLICY,
  /** The run's final status when its row is not finalized yet (the report stage runs before finalize). */
  finalStatus?: FinalRunStatus,
): Promise<RunReport | null> {
  const stored = await ds.getRepository(EvalRun).findOneBy({ id: runId });
  if (!stored) return null;
  const run = finalStatus ? Object.assign(stored, { status: finalStatus }) : stored;
  const [dataset, version, endpoint, baseline] = await Promise.all([
    ds.getRepository(EvalDataset).findOneBy({ id: run.dataset_id }),
    ds.getRepository(DatasetVersion).findOneBy({ id: run.dataset_version_id }),
    ds.getRepository(LlmEndpoint).findOneBy({ id: run.endpoint_id }),
    run.baseline_run_id ? ds.getRepository(EvalRun).findOneBy({ id: run.baseline_run_id }) : null,
  ]);
  const summary = readRunSummary(run.summary);
  const gate = decideGate(run, summary, policy);
  const input = toCommentInput(run, summary, gate, {
    dataset: {
      name: dataset?.name ?? run.dataset_id,
      version: version?.version ?? 0,
      sampleCount: version?.sample_count ?? 0,
    },
    model: { name: endpoint?.model_name ?? run.endpoint_id, settings: modelSettings(endpoint?.config ?? {}) },
    runUrl: runPageUrl(publicUrl, run.id),
    baseline: baseline
      ? { id: baseline.id, url: runPageUrl(publicUrl, baseline.id), branch: baseline.git_branch }
      : null,
  });
  const note = STATUS_NOTES[run.status];
  const rendered = renderPrCommentMarkdown(input);
  return {
    run,
    summary,
    markdown: note ? `${note}${run.error ? `: ${oneLine(run.error)}` : '.'}\n\n${rendered}` : rendered,
    gate,
  };
}

export function toCommentInput(
  run: Pick<EvalRun, 'id' | 'git_commit_sha' | 'git_branch'>,
  summary: RunSummaryView,
  gate: GateDecision,
  ctx: {
    dataset: PrCommentInput['dataset'];
    model: PrCommentInput['model'];
    runUrl: string | null;
    baseline: { id: string; url: string | null; branch: string | null } | null;
  },
): PrCommentInput {
  const comparisons = new Map((summary.regressions?.judges ?? []).map((r) => [r.judge_type, r]));
  const judgeTypes = [...new Set([...Object.keys(summary.judges), ...comparisons.keys()])].sort();
  const demonstrations = demonstrationJudges(summary);
  return {
    commitSha: run.git_commit_sha ?? 'unknown',
    branch: run.git_branch ?? 'unknown',
    baseBranch: ctx.baseline?.branch ?? null,
    run: { id: run.id, url: ctx.runUrl },
    baselineRun: ctx.baseline ? { id: ctx.baseline.id, url: ctx.baseline.url } : null,
    dataset: ctx.dataset,
    model: ctx.model,
    judges: judgeTypes.map((judge) => {
      const stats = summary.judges[judge];
      const cmp = comparisons.get(judge);
      return {
        judge,
        score: stats?.mean_score ?? stats?.pass_rate ?? null,
        delta: cmp?.delta ?? null,
        pValue: cmp?.adjusted_p_value ?? cmp?.p_value ?? null,
        verdict: cmp?.verdict ?? null,
        mde: cmp?.mde ?? null,
        ...(demonstrations.has(judge) ? { demonstration: true } : {}),
      };
    }),
    guardrails: summary.guardrails.map((g) => ({
      judge: g.judge_type,
      blocking: g.is_blocking,
      ...(g.demonstration ? { demonstration: true } : {}),
      outcome: g.outcome,
      reason: g.outcome === 'pass' ? null : g.reason,
    })),
    gate: { state: gate.state, reasons: gate.reasons },
  };
}

function modelSettings(config: Record<string, unknown>): string | null {
  const shown = SHOWN_MODEL_SETTINGS.filter((k) => typeof config[k] === 'number').map(
    (k) => `${k}=${config[k]}`,
  );
  return shown.length ? shown.join(', ') : null;
}

const MAX_ERROR_IN_NOTE = 300;
const oneLine = (s: string) => escapeMarkdown(s.replace(/\s+/g, ' ').slice(0, MAX_ERROR_IN_NOTE));
