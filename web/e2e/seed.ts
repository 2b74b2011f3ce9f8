/**
 * The data the dashboard's end-to-end test looks at, written straight to the database: one project
 * with guardrails, a baseline run, a regressed candidate run (with an XSS payload and a long
 * output among its results) and a run still in progress.
 */
import type { DataSource } from 'typeorm';
import { compareRuns } from '../../core/compare-runs.js';
import { EvalRun, LlmEndpoint, Project } from '../../db/entities/index.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { completeRun, createRunRow, type FixtureResult, insertResults } from '../../test/fixtures/runs.js';

export const SAMPLES = 30;
export const PROJECT_NAME = 'Customer Support QA';
export const XSS_PAYLOAD =
  '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>Refunds take 5 days.';
export const LONG_OUTPUT = `${'Our shipping policy, in detail: '.repeat(40)}END-OF-LONG-OUTPUT`;
export const SECRET_IN_CONFIG = 'sk-test-should-never-be-shown';
export const CATEGORIES = ['billing', 'shipping', 'account'] as const;
export const XSS_SAMPLE = 3;
export const LONG_SAMPLE = 5;

export interface Seeded {
  fx: ProjectFixture;
  baseline: EvalRun;
  candidate: EvalRun;
  live: EvalRun;
}

const all = Array.from({ length: SAMPLES }, (_, i) => i);

/** Similarity fails on every 10th sample for the baseline, on every 3rd for the candidate, whose
 * passing answers also score 0.15 lower: a drop the paired test calls a regression at n=30. */
export const CANDIDATE_SIMILARITY_DROP = 0.15;
function result(i: number, run: 'baseline' | 'candidate'): FixtureResult {
  const simFails = run === 'baseline' ? i % 10 === 9 : i % 3 === 2;
  const piiFails = run === 'candidate' && i === 7;
  const output =
    run === 'candidate' && i === XSS_SAMPLE
      ? XSS_PAYLOAD
      : run === 'candidate' && i === LONG_SAMPLE
        ? LONG_OUTPUT
        : piiFails
          ? 'Contact me at jo.doe@example.com for the refund.'
          : `Answer ${i}: ${CATEGORIES[i % 3]} handled.`;
  return {
    llm_output: output,
    latency_ms: 200 + ((i * 37) % 300) + (i === 0 ? 2_500 : 0),
    tokens: [40 + i, 20 + (i % 7)],
    cost_usd: 0.0002,
    scores: {
      pii: piiFails
        ? {
            score: 0,
            passed: false,
            details: { findings: [{ type: 'email', text: 'jo.doe@example.com', start: 14 }] },
          }
        : { score: 1, passed: true, details: { findings: [] } },
      similarity: {
        score: simFails ? 0.41 : 0.86 + (i % 5) / 50 - (run === 'candidate' ? CANDIDATE_SIMILARITY_DROP : 0),
        passed: !simFails,
      },
      toxicity: { score: 0.99, passed: true },
      llm_judge: {
        score: simFails ? 0.4 : 0.9,
        passed: !simFails,
        details: { reasoning: simFails ? 'The answer misses the refund window.' : 'Accurate and polite.' },
      },
    },
  };
}

export async function seedDashboardData(dataSource: DataSource): Promise<Seeded> {
  const fx = await createProjectFixture(dataSource, {
    samples: SAMPLES,
    apiKeyEnv: 'OPENAI_API_KEY',
    guardrails: [
      { judge_type: 'pii', threshold: 0.5, is_blocking: true },
      { judge_type: 'similarity', threshold: 0.7, is_blocking: false },
    ],
    sample: (i) => ({
      input_text: `Customer question ${i} about ${CATEGORIES[i % 3]}?`,
      metadata: { category: CATEGORIES[i % 3], tags: i % 4 === 0 ? ['vip'] : [] },
    }),
  });
  await dataSource.getRepository(Project).update({ id: fx.project.id }, { name: PROJECT_NAME });
  // Bypasses the API's validation on purpose: the dashboard must hide it even if a secret got in.
  await dataSource
    .getRepository(LlmEndpoint)
    .update(
      { id: fx.endpoint.id },
      { name: 'GPT-4o mini', config: { temperature: 0, api_key: SECRET_IN_CONFIG } },
    );

  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  const baseline = await createRunRow(dataSource, fx, { git_branch: 'main', git_commit_sha: 'a1b2c3d4e5f6' });
  await insertResults(dataSource, baseline, all, (i) => result(i, 'baseline'));
  await completeRun(dataSource, baseline);

  const candidate = await createRunRow(dataSource, fx, {
    git_branch: 'feature/shorter-answers',
    git_commit_sha: 'f6e5d4c3b2a1',
    pr_number: 42,
    trigger_type: 'ci',
    baseline_run_id: baseline.id,
  });
  await insertResults(dataSource, candidate, all, (i) => result(i, 'candidate'));
  // The regression stage's verdicts, computed by the real comparison as the workflow stores them.
  await completeRun(dataSource, candidate, {
    extraSummary: { regressions: await compareRuns(dataSource, candidate.id, baseline.id) },
  });
  await dataSource.query('UPDATE eval_runs SET created_at = $2, completed_at = $2 WHERE id = $1', [
    baseline.id,
    hoursAgo(3),
  ]);
  await dataSource.query('UPDATE eval_runs SET created_at = $2, completed_at = $2 WHERE id = $1', [
    candidate.id,
    hoursAgo(2),
  ]);

  const live = await createRunRow(dataSource, fx, { git_branch: 'main', status: 'running' });
  return {
    fx,
    baseline: await dataSource.getRepository(EvalRun).findOneByOrFail({ id: baseline.id }),
    candidate: await dataSource.getRepository(EvalRun).findOneByOrFail({ id: candidate.id }),
    live,
  };
}

/** Adds the live run's results for `positions`, as the workflow would. */
export const addLiveResults = (dataSource: DataSource, live: EvalRun, positions: number[]) =>
  insertResults(dataSource, live, positions, (i) => result(i, 'baseline'));

export const SINGLE_RUN_PROJECT = 'Single Run Project';

/** A project with exactly one finished run: what the trends page shows before there is a trend. */
export async function seedSingleRunProject(dataSource: DataSource) {
  const fx = await createProjectFixture(dataSource, { samples: 4 });
  await dataSource.getRepository(Project).update({ id: fx.project.id }, { name: SINGLE_RUN_PROJECT });
  const run = await createRunRow(dataSource, fx, { git_branch: 'main' });
  await insertResults(dataSource, run, [0, 1, 2, 3], (i) => result(i, 'baseline'));
  await completeRun(dataSource, run);
  return { fx, run: await dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id }) };
}
