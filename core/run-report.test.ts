/**
 * buildRunReport against the real database: per-judge counts of regressed and improved samples, the
 * worst examples chosen, Δ's confidence interval (scipy's paired t-interval), and the links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EvalResult,
  EvalRun,
  EvalSample,
  GitHubCheckRun,
  GitHubRepository,
  JudgeScore,
} from '../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import { completeRun, createRunRow, insertResults } from '../test/fixtures/runs.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/index.js';
import { compareRuns } from './compare-runs.js';
import { formatPercent } from './pr-comment-markdown.js';
import { buildRunReport, readSampleChanges } from './run-report.js';

const PUBLIC_URL = 'https://evalforge.example.test';
const SHA = 'ABCDEF1234567890abcdef1234567890abcdef12';
/** Sample 0's input tries to close the comment's blocks and mention someone. */
const HOSTILE_INPUT = 'What is 0 + 0?\n```\n</details>\n@octocat <img src=x onerror=alert(1)>';

// Per sample s0…s7. similarity: higher is better; change = candidate − baseline.
const SIMILARITY_BASELINE = [0.9, 0.8, 0.6, 0.75, 0.6, 1.0, 0.7, 0.8];
const SIMILARITY_CANDIDATE = [0.2, 0.8, 0.7, 0.25, 0.6, 0.5, 0.9, 0.7];
//                   changes: -0.7, 0, +0.1, -0.5, 0, -0.5, +0.2, -0.1 → 4 regressed, 2 improved
/** scipy.stats.ttest_rel(candidate, baseline).confidence_interval(0.95) (scipy 1.17.1). */
const SCIPY_CI = { lower: -0.46455161766440417, upper: 0.08955161766440417 };
// pii (pass/fail): s4 passes on the baseline and fails now. toxicity (lower is better): s1 up, s2 down.
const TOXICITY_BASELINE = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
const TOXICITY_CANDIDATE = [0.1, 0.6, 0.0, 0.1, 0.1, 0.1, 0.1, 0.1];

let db: TestDatabase;
let fx: ProjectFixture;
let baseline: EvalRun;
let candidate: EvalRun;

function scoresOf(similarity: number[], pii: (i: number) => number, toxicity: number[]) {
  return (i: number) => ({
    similarity: { score: similarity[i], passed: similarity[i] >= 0.5 },
    pii: { score: pii(i), passed: pii(i) === 1 },
    toxicity: { score: toxicity[i], passed: toxicity[i] < 0.5 },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const ds = db.dataSource;
  fx = await createProjectFixture(ds, {
    samples: 8,
    guardrails: [{ judge_type: 'toxicity', threshold: 0.5, config: { higher_is_better: false } }],
    sample: (i) => (i === 0 ? { input_text: HOSTILE_INPUT } : {}),
  });
  const positions = [0, 1, 2, 3, 4, 5, 6, 7];
  baseline = await createRunRow(ds, fx, { git_branch: 'main' });
  const baselineScores = scoresOf(SIMILARITY_BASELINE, () => 1, TOXICITY_BASELINE);
  await insertResults(ds, baseline, positions, (i) => ({
    llm_output: `baseline answer ${i}`,
    scores: baselineScores(i),
  }));
  baseline = await completeRun(ds, baseline);

  candidate = await createRunRow(ds, fx, {
    git_branch: 'feature',
    git_commit_sha: SHA,
    baseline_run_id: baseline.id,
  });
  const candidateScores = scoresOf(SIMILARITY_CANDIDATE, (i) => (i === 4 ? 0 : 1), TOXICITY_CANDIDATE);
  await insertResults(ds, candidate, positions, (i) => ({
    llm_output: i === 0 ? '````\n</details> @octocat' : `candidate answer ${i}`,
    scores: candidateScores(i),
  }));
  // What the workflow's regression stage stores (activities/runs/detect-regressions.ts).
  const comparison = await compareRuns(ds, candidate.id, baseline.id);
  const regressed = comparison.judges.filter((j) => j.verdict === 'regression').map((j) => j.judge_type);
  candidate = await completeRun(ds, candidate, {
    extraSummary: { regressions: { ...comparison, regressed } },
  });
});
afterAll(() => db?.drop());

describe('buildRunReport with a baseline', () => {
  it('counts regressed and improved samples per judge, paired by sample key', async () => {
    const report = (await buildRunReport(db.dataSource, candidate.id, PUBLIC_URL))!;
    const rows = Object.fromEntries(report.comment.judges.map((row) => [row.judge, row]));
    expect(rows.similarity.samples).toEqual({ paired: 8, improved: 2, regressed: 4 });
    expect(rows.pii.samples).toEqual({ paired: 8, improved: 0, regressed: 1 });
    // Lower is better: the score going up is the regression.
    expect(rows.toxicity.samples).toEqual({ paired: 8, improved: 1, regressed: 1 });
  });

  it("shows both runs' scores and Δ with scipy's paired t-interval", async () => {
    const report = (await buildRunReport(db.dataSource, candidate.id, PUBLIC_URL))!;
    const similarity = report.comment.judges.find((row) => row.judge === 'similarity')!;
    expect(similarity.baselineScore).toBeCloseTo(0.76875, 12);
    expect(similarity.score).toBeCloseTo(0.58125, 12);
    expect(similarity.delta).toBeCloseTo(-0.1875, 12);
    expect(similarity.ci!.level).toBe(0.95);
    expect(similarity.ci!.lower).toBeCloseTo(SCIPY_CI.lower, 9);
    expect(similarity.ci!.upper).toBeCloseTo(SCIPY_CI.upper, 9);
    expect(report.markdown).toContain(
      '| Judge | Baseline | Candidate | Δ vs main [95% CI] | Samples regressed / improved |',
    );
    expect(report.markdown).toContain(
      `| similarity | ${formatPercent(similarity.baselineScore!)} | ${formatPercent(similarity.score)} | ` +
        '-18.8 pp [-46.5, +9] | 4 / 2 of 8 |',
    );
  });

  it('picks the three worst regressed samples per judge, ties by sample key, with both outputs', async () => {
    const report = (await buildRunReport(db.dataSource, candidate.id, PUBLIC_URL))!;
    const examples = report.comment.regressedExamples!;
    expect(examples.map((e) => [e.judge, e.sampleKey])).toEqual([
      ['pii', 's4'],
      ['similarity', 's0'],
      ['similarity', 's3'],
      ['similarity', 's5'],
      ['toxicity', 's1'],
    ]);
    expect(examples[1]).toEqual({
      judge: 'similarity',
      sampleKey: 's0',
      repetition: null,
      input: HOSTILE_INPUT,
      baselineOutput: 'baseline answer 0',
      candidateOutput: '````\n</details> @octocat',
      baselineScore: 0.9,
      candidateScore: 0.2,
    });
    expect(examples[4]).toMatchObject({ baselineScore: 0.1, candidateScore: 0.6 });
    // Hostile texts stay inside fences longer than their backtick runs.
    expect(report.markdown).toContain(`\`\`\`\`text\n${HOSTILE_INPUT}\n\`\`\`\`\n`);
    expect(report.markdown).toContain('`````text\n````\n</details> @octocat\n`````\n');
    expect(report.markdown).toContain(
      '<summary>similarity: 4 regressed samples, the 3 worst shown</summary>',
    );
    expect(report.markdown).toContain('**Sample s0**: 90% → 20%');
  });

  it('links the compare page for the two runs and, from its check run, the commit on GitHub', async () => {
    const ds = db.dataSource;
    const compare = `${PUBLIC_URL}/compare?project=${fx.project.id}&a=${baseline.id}&b=${candidate.id}`;
    const commit = `https://github.com/acme/support-bot/commit/${SHA.toLowerCase()}`;
    const before = (await buildRunReport(ds, candidate.id, PUBLIC_URL))!;
    expect(before.comment.links).toEqual({ compare, commit: null });
    expect(before.markdown).toContain(`[Compare the two runs](${compare})`);
    expect(before.markdown).not.toContain('on GitHub');

    const repository = await ds.getRepository(GitHubRepository).save({
      project_id: fx.project.id,
      full_name: 'acme/support-bot',
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
      path_filters: [],
    });
    await ds
      .getRepository(GitHubCheckRun)
      .save({ run_id: candidate.id, repository_id: repository.id, head_sha: SHA, pr_number: 7 });
    const linked = (await buildRunReport(ds, candidate.id, PUBLIC_URL))!;
    expect(linked.markdown).toContain(`[Commit abcdef1 on GitHub](${commit})`);
    // The GitHub App passes what it already read; null means "not from GitHub".
    const passed = await buildRunReport(ds, candidate.id, PUBLIC_URL, undefined, undefined, {
      github: { fullName: 'Other/Repo', commitSha: SHA },
    });
    expect(passed!.comment.links?.commit).toBe(`https://github.com/Other/Repo/commit/${SHA.toLowerCase()}`);
    const none = await buildRunReport(ds, candidate.id, PUBLIC_URL, undefined, undefined, { github: null });
    expect(none!.comment.links?.commit).toBeNull();
    // Without a public URL there is no dashboard to link.
    const noDashboard = await buildRunReport(ds, candidate.id, null);
    expect(noDashboard!.markdown).not.toContain('Compare the two runs');
  });
});

describe('buildRunReport without a baseline', () => {
  it('says so and keeps the seed table: no counts, no examples, no compare link', async () => {
    const report = (await buildRunReport(db.dataSource, baseline.id, PUBLIC_URL))!;
    expect(report.comment.baselineRun).toBeNull();
    expect(report.comment.judges.every((row) => row.samples === null && row.baselineScore === null)).toBe(
      true,
    );
    expect(report.comment.regressedExamples).toEqual([]);
    expect(report.markdown).toContain('| Judge | Score | Δ vs baseline | p (Holm) | Status |');
    expect(report.markdown).toContain('| similarity | 76.9% | — | — | — no baseline |');
    expect(report.markdown).not.toMatch(/<details>|Compare the two runs/);
  });
});

describe('readSampleChanges', () => {
  /** One result per (position, repetition) with one `similarity` score (null: the judge errored). */
  async function insertRepetitions(run: EvalRun, scores: Record<number, (number | null)[]>) {
    const ds = db.dataSource;
    const samples = await ds.getRepository(EvalSample).findBy({ dataset_version_id: run.dataset_version_id });
    for (const sample of samples) {
      for (const [repetition, score] of (scores[sample.position] ?? []).entries()) {
        const result = await ds.getRepository(EvalResult).save({
          run_id: run.id,
          sample_id: sample.id,
          sample_position: sample.position,
          repetition,
          status: 'succeeded',
          llm_output: `run ${run.id.slice(0, 4)} rep ${repetition}`,
        });
        await ds.getRepository(JudgeScore).save({
          result_id: result.id,
          run_id: run.id,
          judge_type: 'similarity',
          score,
          passed: (score ?? 0) >= 0.5,
          error: score === null ? 'judge failed' : null,
        });
      }
    }
  }

  it('pairs repetitions by index, averages each sample and shows its worst repetition', async () => {
    const ds = db.dataSource;
    const fx3 = await createProjectFixture(ds, { samples: 4 });
    const before = await createRunRow(ds, fx3, { repetitions: 2 });
    const after = await createRunRow(ds, fx3, { repetitions: 2, baseline_run_id: before.id });
    await insertRepetitions(before, { 0: [1, 0], 1: [0.5, 0.5], 2: [0.5, 0.5], 3: [0.9, 0.9] });
    // s0: −1 and +0.5 → mean −0.25, regressed, repetition 0 the worse; s1: +0.2, 0 → improved;
    // s2: 0 and an errored score (left out) → unchanged; s3: -0.1 on both → regressed, less.
    await insertRepetitions(after, { 0: [0, 0.5], 1: [0.7, 0.5], 2: [0.5, null], 3: [0.8, 0.8] });
    const changes = await readSampleChanges(ds, { runId: after.id, baselineRunId: before.id });
    expect(changes.judges.get('similarity')).toEqual({ paired: 4, improved: 1, regressed: 2 });
    expect(changes.examples).toEqual([
      {
        judge: 'similarity',
        sampleKey: 's0',
        repetition: 0,
        input: 'Question 0: what is 0 + 0?',
        baselineOutput: `run ${before.id.slice(0, 4)} rep 0`,
        candidateOutput: `run ${after.id.slice(0, 4)} rep 0`,
        baselineScore: 1,
        candidateScore: 0,
      },
      expect.objectContaining({ sampleKey: 's3', repetition: 0, baselineScore: 0.9, candidateScore: 0.8 }),
    ]);

    const one = await readSampleChanges(
      ds,
      { runId: after.id, baselineRunId: before.id },
      { examplesPerJudge: 1 },
    );
    expect(one.examples.map((e) => e.sampleKey)).toEqual(['s0']);
    const skipped = await readSampleChanges(
      ds,
      { runId: after.id, baselineRunId: before.id },
      { skipExamplesFor: new Set(['similarity']) },
    );
    expect(skipped).toEqual({ judges: changes.judges, examples: [] });

    // The run's own guardrails (its evalforge.yaml) say lower is better: every change flips sign.
    const guardrails = [{ judge_type: 'similarity', threshold: 0.5, config: { higher_is_better: false } }];
    await ds.getRepository(EvalRun).update({ id: after.id }, { config: { guardrails } });
    const flipped = await readSampleChanges(ds, { runId: after.id, baselineRunId: before.id });
    expect(flipped.judges.get('similarity')).toEqual({ paired: 4, improved: 2, regressed: 1 });
    expect(flipped.examples).toEqual([
      expect.objectContaining({ sampleKey: 's1', repetition: 0, baselineScore: 0.5, candidateScore: 0.7 }),
    ]);
  });
});
