/**
 * A finished run as the seed's PR-comment markdown (core/pr-comment-markdown.ts) plus what a
 * gate needs. One builder for the GitHub App's check and comment and for GET /api/ci/report/{id}
 * (which the CLI prints and writes to $GITHUB_STEP_SUMMARY).
 *
 * With a baseline it also reads, in two bounded queries, how many paired samples each judge saw
 * regress or improve and the few most regressed samples with their texts (readSampleChanges).
 */
import type { DataSource } from 'typeorm';
import { DatasetVersion, EvalDataset, EvalRun, LlmEndpoint } from '../db/entities/index.js';
import { readRunGuardrails } from './config-run.js';
import { DEFAULT_GATE_POLICY, decideGate, type GateDecision, type GatePolicy } from './gate.js';
import { comparePageUrl, gitHubCommitUrl, runPageUrl } from './links.js';
import {
  EXAMPLE_TEXT_MAX_CHARS,
  escapeMarkdown,
  PR_COMMENT_MAX_LENGTH,
  type PrCommentExample,
  type PrCommentInput,
  type PrCommentLinks,
  type PrCommentSampleCounts,
  renderPrCommentMarkdown,
} from './pr-comment-markdown.js';
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
  /** What the markdown was rendered from. */
  comment: PrCommentInput;
  markdown: string;
  /** The gate's decision under the policy asked for (by default regressions warn). */
  gate: GateDecision;
}

/** The GitHub repository a run reports to: only for the link to its commit. */
export interface RunReportGitHub {
  /** `owner/repo`. */
  fullName: string;
  /** The commit checked; the run's own git_commit_sha wins when it has one. */
  commitSha?: string | null;
}

export interface RunReportOptions {
  /** Left out: looked up from the run's check run (github_check_runs → github_repositories);
   * null: the run has nothing to do with GitHub, no commit link. */
  github?: RunReportGitHub | null;
}

export async function buildRunReport(
  ds: DataSource,
  runId: string,
  publicUrl: string | null,
  policy: GatePolicy = DEFAULT_GATE_POLICY,
  /** The run's final status when its row is not finalized yet (the report stage runs before finalize). */
  finalStatus?: FinalRunStatus,
  options: RunReportOptions = {},
): Promise<RunReport | null> {
  const stored = await ds.getRepository(EvalRun).findOneBy({ id: runId });
  if (!stored) return null;
  const run = finalStatus ? Object.assign(stored, { status: finalStatus }) : stored;
  const [dataset, version, endpoint, baseline, github] = await Promise.all([
    ds.getRepository(EvalDataset).findOneBy({ id: run.dataset_id }),
    ds.getRepository(DatasetVersion).findOneBy({ id: run.dataset_version_id }),
    ds.getRepository(LlmEndpoint).findOneBy({ id: run.endpoint_id }),
    run.baseline_run_id ? ds.getRepository(EvalRun).findOneBy({ id: run.baseline_run_id }) : null,
    options.github === undefined ? readGitHubTarget(ds, run.id) : options.github,
  ]);
  const summary = readRunSummary(run.summary);
  const gate = decideGate(run, summary, policy);
  // A run still going has moving numbers (and may be large): the counts wait for its end.
  const sampleChanges =
    baseline && gate.state !== 'pending'
      ? await readSampleChanges(
          ds,
          { runId: run.id, baselineRunId: baseline.id },
          { skipExamplesFor: demonstrationJudges(summary) },
        )
      : null;
  const commitSha = run.git_commit_sha ?? github?.commitSha ?? null;
  const input = toCommentInput({ ...run, git_commit_sha: commitSha }, summary, gate, {
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
    sampleChanges,
    links: {
      compare: baseline
        ? comparePageUrl(publicUrl, {
            projectId: run.project_id,
            baselineRunId: baseline.id,
            candidateRunId: run.id,
          })
        : null,
      commit: gitHubCommitUrl(github?.fullName, commitSha),
    },
  });
  const noteText = STATUS_NOTES[run.status];
  const note = noteText ? `${noteText}${run.error ? `: ${oneLine(run.error)}` : '.'}\n\n` : '';
  const rendered = renderPrCommentMarkdown(input, { maxLength: PR_COMMENT_MAX_LENGTH - note.length });
  return { run, summary, comment: input, markdown: `${note}${rendered}`, gate };
}

/** The repository of the run's GitHub check, if it was started from GitHub. */
async function readGitHubTarget(ds: DataSource, runId: string): Promise<RunReportGitHub | null> {
  const rows: { full_name: string; head_sha: string }[] = await ds.query(
    `SELECT r.full_name, c.head_sha FROM github_check_runs c
       JOIN github_repositories r ON r.id = c.repository_id WHERE c.run_id = $1`,
    [runId],
  );
  return rows[0] ? { fullName: rows[0].full_name, commitSha: rows[0].head_sha } : null;
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
    /** Per-sample movement against the baseline (readSampleChanges); null without one. */
    sampleChanges?: SampleChanges | null;
    links?: PrCommentLinks;
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
      // With a baseline both scores come from the comparison (the samples it compared), so Δ is
      // their difference; otherwise the run's own mean over everything it scored.
      const compared = ctx.baseline !== null && cmp?.current_mean != null && cmp.baseline_mean != null;
      return {
        judge,
        score: compared ? cmp.current_mean! : (stats?.mean_score ?? stats?.pass_rate ?? null),
        baselineScore: compared ? cmp.baseline_mean! : null,
        delta: cmp?.delta ?? null,
        ci: cmp?.ci ?? null,
        samples: ctx.sampleChanges?.judges.get(judge) ?? null,
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
    regressedExamples: ctx.sampleChanges?.examples ?? [],
    links: ctx.links ?? {},
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

/** A paired sample moved when its score changed by more than this (scores are on a 0..1 scale). */
export const SAMPLE_CHANGE_EPSILON = 1e-6;
/** The most regressed samples shown per judge. */
export const REGRESSED_EXAMPLES_PER_JUDGE = 3;
/** Characters read of each example text: more than the comment shows, so it knows when it cut. */
const EXAMPLE_TEXT_READ_CHARS = EXAMPLE_TEXT_MAX_CHARS * 2;

export interface SampleChanges {
  /** judge_type → paired samples and how many of them regressed or improved. */
  judges: Map<string, PrCommentSampleCounts>;
  /** The most regressed samples of each judge, worst first (judge_type order). */
  examples: PrCommentExample[];
}

/** +1 where a higher score is better, −1 for the judges in $3 (lower is better). */
const DIRECTION = 'CASE WHEN p.judge_type = ANY($3::text[]) THEN -1 ELSE 1 END';

/** Judges whose guardrail says lower is better, read as compareRuns reads them: the run's own
 * guardrails (from its evalforge.yaml) when it has them, else the project's. */
async function lowerIsBetterJudges(ds: DataSource, runId: string): Promise<string[]> {
  const [run]: { project_id: string; config: unknown }[] = await ds.query(
    'SELECT project_id, config FROM eval_runs WHERE id = $1',
    [runId],
  );
  if (!run) return [];
  const guardrails: { judge_type: string; config: unknown }[] =
    readRunGuardrails(run.config) ??
    (await ds.query('SELECT judge_type, config FROM guardrail_configs WHERE project_id = $1', [
      run.project_id,
    ]));
  return guardrails
    .filter((g) => (g.config as { higher_is_better?: unknown } | null)?.higher_is_better === false)
    .map((g) => g.judge_type);
}

/**
 * Per judge, the samples scored in both runs, paired as compareRuns pairs them: by sample key, the
 * repetitions both runs have, errored scores left out. A sample's change is the mean over those
 * repetitions of (candidate − baseline), negated where the judge's guardrail says lower is better;
 * it regressed below −SAMPLE_CHANGE_EPSILON and improved above it (for pass/fail scores: pass → fail
 * and fail → pass). PostgreSQL does the counting and picks the few worst samples per judge (one scan
 * of both runs' scores, aggregates and a bounded top-N; one row per judge comes back); a second query
 * reads just those samples' worst repetition and its texts, cut, through the indexes.
 */
export async function readSampleChanges(
  ds: DataSource,
  runs: { runId: string; baselineRunId: string },
  opts: { examplesPerJudge?: number; skipExamplesFor?: ReadonlySet<string> } = {},
): Promise<SampleChanges> {
  const perJudge = opts.examplesPerJudge ?? REGRESSED_EXAMPLES_PER_JUDGE;
  const lowerIsBetter = await lowerIsBetterJudges(ds, runs.runId);
  const rows: { judge_type: string; paired: number; improved: number; regressed: number; worst: string[] }[] =
    await ds.query(
      `WITH scored AS (
         SELECT j.run_id, j.judge_type, s.sample_key, r.repetition, j.score
           FROM judge_scores j JOIN eval_results r ON r.id = j.result_id JOIN eval_samples s ON s.id = r.sample_id
          WHERE j.run_id = ANY(ARRAY[$1, $2]::uuid[]) AND j.score IS NOT NULL),
       -- One scan of both runs (as compareRuns reads them), grouped instead of joined with itself.
       pairs AS (
         SELECT judge_type, sample_key, repetition,
                max(score) FILTER (WHERE run_id = $1) AS candidate, max(score) FILTER (WHERE run_id = $2) AS baseline
           FROM scored GROUP BY judge_type, sample_key, repetition),
       per_sample AS (
         SELECT p.judge_type, p.sample_key, avg((p.candidate - p.baseline) * ${DIRECTION}) AS change
           FROM pairs p
          WHERE p.candidate IS NOT NULL AND p.baseline IS NOT NULL
          GROUP BY p.judge_type, p.sample_key),
       counts AS (
         SELECT judge_type, count(*)::int AS paired,
                (count(*) FILTER (WHERE change > $4::float8))::int AS improved,
                (count(*) FILTER (WHERE change < -$4::float8))::int AS regressed
           FROM per_sample GROUP BY judge_type)
       SELECT counts.*,
              ARRAY(SELECT p.sample_key FROM per_sample p
                     WHERE p.judge_type = counts.judge_type AND p.change < -$4::float8
                     ORDER BY p.change, p.sample_key LIMIT $5) AS worst
         FROM counts ORDER BY judge_type`,
      [runs.runId, runs.baselineRunId, lowerIsBetter, SAMPLE_CHANGE_EPSILON, perJudge],
    );
  const judges = new Map(
    rows.map((r) => [r.judge_type, { paired: r.paired, improved: r.improved, regressed: r.regressed }]),
  );
  const chosen = rows.flatMap((r) =>
    opts.skipExamplesFor?.has(r.judge_type) ? [] : r.worst.map((key) => [r.judge_type, key] as const),
  );
  if (chosen.length === 0) return { judges, examples: [] };
  // Each chosen sample's repetition that changed for the worse the most, found through the indexes
  // on (version, sample key), (run, sample, repetition) and (result, judge).
  const details: {
    judge_type: string;
    sample_key: string;
    repetition: number;
    repetitions: number;
    candidate_score: number;
    baseline_score: number;
    input: string;
    candidate_output: string;
    baseline_output: string;
  }[] = await ds.query(
    `WITH chosen AS (
       SELECT * FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS t(judge_type, sample_key, ord)),
     p AS (
       SELECT ch.ord, ch.judge_type, ch.sample_key, cr.repetition, cj.score AS candidate_score,
              bj.score AS baseline_score, cs.input_text, cr.llm_output AS candidate_output,
              br.llm_output AS baseline_output, cj.score - bj.score AS difference
         FROM chosen ch
         JOIN eval_samples cs ON cs.sample_key = ch.sample_key
          AND cs.dataset_version_id = (SELECT dataset_version_id FROM eval_runs WHERE id = $1)
         JOIN eval_results cr ON cr.run_id = $1 AND cr.sample_id = cs.id
         JOIN judge_scores cj ON cj.result_id = cr.id AND cj.judge_type = ch.judge_type AND cj.score IS NOT NULL
         JOIN eval_samples bs ON bs.sample_key = ch.sample_key
          AND bs.dataset_version_id = (SELECT dataset_version_id FROM eval_runs WHERE id = $2)
         JOIN eval_results br ON br.run_id = $2 AND br.sample_id = bs.id AND br.repetition = cr.repetition
         JOIN judge_scores bj ON bj.result_id = br.id AND bj.judge_type = ch.judge_type AND bj.score IS NOT NULL)
     SELECT DISTINCT ON (ord) judge_type, sample_key, repetition, candidate_score, baseline_score,
            (count(*) OVER (PARTITION BY ord))::int AS repetitions,
            left(input_text, $6) AS input, left(candidate_output, $6) AS candidate_output,
            left(baseline_output, $6) AS baseline_output
       FROM p ORDER BY ord, difference * ${DIRECTION}, repetition`,
    [
      runs.runId,
      runs.baselineRunId,
      lowerIsBetter,
      chosen.map(([judge]) => judge),
      chosen.map(([, key]) => key),
      EXAMPLE_TEXT_READ_CHARS,
    ],
  );
  const examples = details.map(
    (d): PrCommentExample => ({
      judge: d.judge_type,
      sampleKey: d.sample_key,
      repetition: d.repetitions > 1 ? d.repetition : null,
      input: d.input,
      baselineOutput: d.baseline_output,
      candidateOutput: d.candidate_output,
      baselineScore: d.baseline_score,
      candidateScore: d.candidate_score,
    }),
  );
  return { judges, examples };
}
