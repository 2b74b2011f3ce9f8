/**
 * Issue-level check of the regression stage: two real runs on one dataset version, one endpoint
 * measurably worse on one judge only; and a small run whose small difference is inconclusive.
 */
import { describe, expect, it } from 'vitest';
import { startRun } from '../api/services/runs.js';
import { EvalRun, LlmEndpoint } from '../db/entities/index.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import { useRunHarness } from '../test/helpers/index.js';

const harness = useRunHarness({ seed: 3 });
const apiDeps = () => harness.apiDeps();

// "Question i: what is i + i?" → the fake model answers the sum; the reference is the sum.
const GUARDRAILS = [
  {
    judge_type: 'assertions',
    threshold: 1,
    is_blocking: true,
    config: { assertions: [{ type: 'contains', reference: true }] },
  },
  // 30 identical outcomes can only rule out shifts above 1 − 0.05^(1/30) ≈ 0.095: the minimum effect that
  // matters for this guardrail is set above it, so "no change" is an answer the data can give.
  { judge_type: 'format', threshold: 1, config: { max_length: 10_000, min_effect: 0.1 } },
];

async function endpointFor(fx: ProjectFixture, model: string) {
  return harness.db.dataSource.getRepository(LlmEndpoint).save({
    project_id: fx.project.id,
    name: model,
    provider: 'openai',
    model_name: model,
    endpoint_url: harness.llm.openaiBaseUrl,
    config: { concurrency: 1 },
    api_key_env: null,
  });
}

async function runToEnd(fx: ProjectFixture, endpointId: string, baselineRunId?: string) {
  const { run } = await startRun(apiDeps(), {
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    endpoint_id: endpointId,
    baseline_run_id: baselineRunId,
    chunk_size: 10,
  });
  const outcome = await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
  expect(outcome.status).toBe('completed');
  return harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id });
}

type Regressions = { judges: Array<{ judge_type: string; verdict: string; p_value: number | null }> };

describe('regression verdicts of real runs', () => {
  it('flags the one judge that got worse and leaves the others no_change', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, { samples: 30, guardrails: GUARDRAILS });
    const good = await endpointFor(fx, 'model-good');
    const worse = await endpointFor(fx, 'model-worse');
    // The worse model answers 12 of 30 questions with an empty message: wrong for `assertions`,
    // still fine for `format` (no minimum length).
    harness.llm.setModelBehaviour('model-worse', {
      faults: Array.from({ length: 12 }, () => ({ type: 'empty_content' as const })),
    });

    const baseline = await runToEnd(fx, good.id);
    const candidate = await runToEnd(fx, worse.id, baseline.id);

    const regressions = (candidate.summary as { regressions: Regressions }).regressions;
    const verdict = (judge: string) => regressions.judges.find((j) => j.judge_type === judge);
    expect(verdict('assertions')?.verdict).toBe('regression');
    expect(verdict('assertions')?.p_value).toBeLessThan(0.05);
    expect(verdict('format')?.verdict).toBe('no_change');
    expect((candidate.summary as { verdict: string }).verdict).toBe('fail');

    // The API reads the same verdicts back.
    const { createApp } = await import('../api/app.js');
    const app = createApp(apiDeps());
    const stored = await (await app.request(`/api/eval/regressions/${candidate.id}`)).json();
    expect(stored.judges.map((j: { verdict: string }) => j.verdict).sort()).toEqual([
      'no_change',
      'regression',
    ]);
    const compare = await (
      await app.request(`/api/eval/compare?run_ids=${baseline.id},${candidate.id}&limit=5`)
    ).json();
    expect(compare.paired).toBe(true);
    expect(compare.judges.find((j: { judge_type: string }) => j.judge_type === 'assertions').verdict).toBe(
      'regression',
    );
    expect(compare.samples.total).toBe(30);
    // Changed outcomes come first.
    expect(compare.samples.items[0].changed).toBe(true);
  });

  it('calls a small difference on 10 samples inconclusive', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, { samples: 10, guardrails: GUARDRAILS });
    const good = await endpointFor(fx, 'model-good-small');
    const slightly = await endpointFor(fx, 'model-slightly-worse');
    harness.llm.setModelBehaviour('model-slightly-worse', { faults: [{ type: 'empty_content' }] });

    const baseline = await runToEnd(fx, good.id);
    const candidate = await runToEnd(fx, slightly.id, baseline.id);
    const regressions = (candidate.summary as { regressions: Regressions }).regressions;
    expect(regressions.judges.find((j) => j.judge_type === 'assertions')?.verdict).toBe('inconclusive');
  });
});
