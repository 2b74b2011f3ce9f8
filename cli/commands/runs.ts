/** `evalforge runs show` and `evalforge runs compare`. */

import { isFinalRunStatus } from '../../core/run-status.js';
import type { RunComparison } from '../../core/run-summary.js';
import { isMissingRoute } from '../api-client.js';
import { type CliContext, print, printJson } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { usageError } from '../flags.js';
import { markdownToTerminal } from '../markdown-terminal.js';
import { fetchRunReport } from '../report.js';
import { resolveProject, resolveRun, shortId } from '../resolve.js';
import { renderTable } from '../text-table.js';
import type { RunJson } from '../wait.js';

export interface RunsFlags {
  project?: string;
  markdown?: boolean;
  samples?: string;
}

/** Run references (ids, id prefixes, branches) as run ids, within --project when given. */
async function resolveRuns(ctx: CliContext, refs: string[], f: RunsFlags): Promise<string[]> {
  const projectId = f.project ? await resolveProject(ctx, f.project) : undefined;
  const ids: string[] = [];
  for (const ref of refs) ids.push(await resolveRun(ctx, ref, { projectId }));
  return ids;
}

export async function runsShow(ctx: CliContext, args: string[], f: RunsFlags = {}): Promise<number> {
  if (args.length !== 1) throw usageError('usage: evalforge runs show <run> [--json | --markdown]');
  if (ctx.json && f.markdown) throw usageError('--json and --markdown do not go together');
  const [runId] = await resolveRuns(ctx, args, f);
  if (ctx.json) {
    printJson(ctx, await ctx.api.get<RunJson>(`/api/eval/runs/${encodeURIComponent(runId)}`));
    return EXIT.OK;
  }
  const report = await fetchRunReport(ctx, runId);
  const { run } = report;
  if (!isFinalRunStatus(run.status)) print(ctx, `run ${run.id} is ${run.status}: ${report.url}`);
  else print(ctx, f.markdown ? report.markdown : markdownToTerminal(report.markdown));
  return EXIT.OK;
}

type Scores = Record<string, { score: number | null; passed: boolean }>;
interface SamplePair {
  sample_key: string;
  repetition: number;
  input_text: string;
  changed: boolean;
  baseline: { status: string | null; scores: Scores };
  candidate: { status: string | null; scores: Scores };
}
type ComparisonJson = RunComparison & {
  samples: { items: SamplePair[]; total: number; offset: number; limit: number };
};

/** Sample pairs read for the counts: changed pairs come first, so reading stops at the first unchanged one. */
const MAX_COMPARED_PAIRS = 5_000;
const COMPARE_PAGE = 500;
export const DEFAULT_TOP_SAMPLES = 5;
const INPUT_CHARS = 60;

async function fetchComparison(ctx: CliContext, ids: string[], page: { offset?: number; limit?: number }) {
  try {
    return await ctx.api.get<ComparisonJson>('/api/eval/compare', {
      query: { run_ids: ids.join(','), ...page },
    });
  } catch (err) {
    if (isMissingRoute(err)) {
      throw new CliError(
        `the EvalForge server at ${ctx.api.baseUrl} has no run comparison (GET /api/eval/compare); upgrade the server`,
        EXIT.API_ERROR,
      );
    }
    throw err;
  }
}

export async function runsCompare(ctx: CliContext, args: string[], f: RunsFlags = {}): Promise<number> {
  if (args.length !== 2) throw usageError('usage: evalforge runs compare <baseline-run> <candidate-run>');
  const top = f.samples === undefined ? DEFAULT_TOP_SAMPLES : Number(f.samples);
  if (!Number.isInteger(top) || top < 0)
    throw usageError(`--samples must be a whole number, not "${f.samples}"`);
  const ids = await resolveRuns(ctx, args, f);
  if (ctx.json) {
    // Today's JSON, unchanged: the API's comparison with its first page of samples.
    printJson(ctx, await fetchComparison(ctx, ids, {}));
    return EXIT.OK;
  }
  const first = await fetchComparison(ctx, ids, { limit: COMPARE_PAGE });
  const pairs = [...first.samples.items];
  while (
    pairs.length < first.samples.total &&
    pairs.length < MAX_COMPARED_PAIRS &&
    pairs[pairs.length - 1]?.changed
  ) {
    const next = await fetchComparison(ctx, ids, { offset: pairs.length, limit: COMPARE_PAGE });
    if (next.samples.items.length === 0) break;
    pairs.push(...next.samples.items);
  }
  print(ctx, comparisonText(first, pairs, { baselineId: ids[0], candidateId: ids[1], top }));
  return EXIT.OK;
}

const num = (n: number | null | undefined, digits = 3) => (n == null ? '-' : n.toFixed(digits));
const signed = (n: number | null | undefined) => (n == null ? '-' : `${n > 0 ? '+' : ''}${n.toFixed(3)}`);
const pValue = (p: number | null | undefined) => (p == null ? '-' : p < 0.001 ? '<0.001' : p.toFixed(3));
const VERDICTS: Record<string, string> = {
  regression: 'REGRESSION',
  improvement: 'improvement',
  no_change: 'no change',
  inconclusive: 'inconclusive',
};

interface JudgeCounts {
  regressed: number;
  improved: number;
}

/** Pass→fail (regressed) and fail→pass (improved) per judge over the pairs both runs scored. */
export function countChanges(pairs: readonly SamplePair[]): Map<string, JudgeCounts> {
  const counts = new Map<string, JudgeCounts>();
  for (const pair of pairs) {
    for (const [judge, c] of Object.entries(pair.candidate.scores)) {
      const b = pair.baseline.scores[judge];
      if (!b) continue;
      const row = counts.get(judge) ?? { regressed: 0, improved: 0 };
      if (b.passed && !c.passed) row.regressed++;
      else if (!b.passed && c.passed) row.improved++;
      counts.set(judge, row);
    }
  }
  return counts;
}

/** The comparison as people read it: the per-judge table, the counts, the worst samples. */
export function comparisonText(
  comparison: ComparisonJson,
  pairs: readonly SamplePair[],
  opts: { baselineId: string; candidateId: string; top: number },
): string {
  const counts = countChanges(pairs);
  const complete = pairs.length >= comparison.samples.total || !pairs[pairs.length - 1]?.changed;
  const lines = [
    `baseline  ${opts.baselineId}`,
    `candidate ${opts.candidateId}`,
    `${comparison.paired ? 'paired on sample keys' : 'unpaired (different dataset versions)'}, ` +
      `Holm-corrected, alpha ${comparison.alpha}; ${comparison.samples.total} sample pairs`,
    '',
  ];
  if (comparison.judges.length === 0) lines.push('no judge scored both runs: nothing to compare');
  else {
    const rows = comparison.judges.map((j) => {
      const c = counts.get(j.judge_type);
      return [
        j.judge_type,
        num(j.baseline_mean),
        num(j.current_mean),
        signed(j.delta),
        pValue(j.adjusted_p_value ?? j.p_value),
        String(j.n),
        c ? `${c.regressed} / ${c.improved}` : '-',
        VERDICTS[j.verdict] ?? j.verdict,
      ];
    });
    lines.push(
      renderTable(
        ['JUDGE', 'BASELINE', 'CANDIDATE', 'Δ', 'p (Holm)', 'N', 'REGRESSED / IMPROVED', 'VERDICT'],
        rows,
        { right: [1, 2, 3, 4, 5] },
      ),
    );
    const regressed = comparison.judges.filter((j) => j.verdict === 'regression');
    const improved = comparison.judges.filter((j) => j.verdict === 'improvement');
    lines.push(
      '',
      `${regressed.length} judge${regressed.length === 1 ? '' : 's'} regressed, ` +
        `${improved.length} improved` +
        (complete ? '' : ` (sample counts over the first ${pairs.length} pairs)`),
    );
    for (const j of regressed) lines.push(`  ${j.judge_type}: ${j.reason}`);
  }
  const worst = worstSamples(pairs).slice(0, opts.top);
  if (worst.length) {
    lines.push(
      '',
      'most regressed samples:',
      renderTable(
        ['SAMPLE', 'JUDGE', 'BASELINE', 'CANDIDATE', 'INPUT'],
        worst.map((w) => [
          w.pair.repetition > 1 ? `${w.pair.sample_key} #${w.pair.repetition}` : w.pair.sample_key,
          w.judge,
          num(w.baseline),
          num(w.candidate),
          oneLine(w.pair.input_text, INPUT_CHARS),
        ]),
        { right: [2, 3] },
      ),
    );
  }
  lines.push(
    '',
    `(full data: evalforge runs compare ${shortId(opts.baselineId)} ${shortId(opts.candidateId)} --json)`,
  );
  return lines.join('\n');
}

/** Regressed (pass → fail) samples per judge, the largest score drop first. */
function worstSamples(pairs: readonly SamplePair[]) {
  const drops: {
    pair: SamplePair;
    judge: string;
    baseline: number | null;
    candidate: number | null;
    drop: number;
  }[] = [];
  for (const pair of pairs) {
    if (!pair.changed) continue;
    for (const [judge, c] of Object.entries(pair.candidate.scores)) {
      const b = pair.baseline.scores[judge];
      if (!b?.passed || c.passed) continue;
      const drop = b.score != null && c.score != null ? b.score - c.score : 1;
      drops.push({ pair, judge, baseline: b.score, candidate: c.score, drop });
    }
  }
  return drops.sort((a, b) => b.drop - a.drop);
}

function oneLine(text: string, max: number) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
