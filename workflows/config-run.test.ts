/**
 * A run of an evalforge.yaml end to end (API service → Temporal → worker → fake model server): the model
 * receives the prompts rendered from the config's templates, and the config's guardrails decide the verdict
 * instead of the project's.
 */
import { describe, expect, it } from 'vitest';
import { findCompletedConfigRun, startConfigRun } from '../api/services/config-runs.js';
import { parseEvalConfig } from '../core/eval-config.js';
import { EvalRun } from '../db/entities/index.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { createProjectFixture } from '../test/fixtures/projects.js';
import { useRunHarness } from '../test/helpers/index.js';

const harness = useRunHarness();

const JSONL = [
  '{"input_text":"Where is my order?","reference_output":"Check Orders.","metadata":{"tier":"gold"}}',
  '{"input_text":"Can I pay by invoice?","reference_output":"Yes.","metadata":{"tier":"silver"}}',
].join('\n');

describe('a run of an evalforge.yaml', () => {
  it("sends the rendered prompts and gates on the config's guardrails, not the project's", async () => {
    // The project's own blocking guardrail (a model judge) would decide the verdict of a plain run.
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 1,
      guardrails: [{ judge_type: 'toxicity', threshold: 0.5, is_blocking: true }],
    });
    const model = 'config-run-e2e';
    const parsed = parseEvalConfig(`
prompts:
  system: "Support for {{metadata.tier}} customers. Reference: {{expected}}"
  user: "Customer asks: {{input}}"
endpoint:
  provider: openai
  model: ${model}
  url: ${harness.llm.openaiBaseUrl}
dataset:
  path: evals/support.jsonl
guardrails:
  - judge: assertions
    config:
      assertions: [{ type: not_contains, value: never-in-an-answer }]
`);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok) return;
    const input = {
      project_id: fx.project.id,
      config: parsed.config,
      config_path: 'evalforge.yaml',
      files: { 'evals/support.jsonl': JSONL },
      trigger_type: 'ci' as const,
      git_commit_sha: 'e'.repeat(40),
    };
    const { run, created, configSha256 } = await startConfigRun(harness.apiDeps(), input);
    expect(created).toBe(true);
    await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();

    const sent = harness.llm
      .requestsFor(model)
      .map((r) => ({ system: r.system, input: r.input }))
      .sort((a, b) => a.input.localeCompare(b.input));
    expect(sent).toEqual([
      {
        system: 'Support for silver customers. Reference: Yes.',
        input: 'Customer asks: Can I pay by invoice?',
      },
      {
        system: 'Support for gold customers. Reference: Check Orders.',
        input: 'Customer asks: Where is my order?',
      },
    ]);

    const done = await harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id });
    expect(done.status).toBe('completed');
    const summary = done.summary as {
      verdict: string;
      guardrails: { judge_type: string; is_blocking: boolean; outcome: string }[];
    };
    expect(summary.verdict).toBe('pass');
    expect(summary.guardrails.map((g) => [g.judge_type, g.is_blocking, g.outcome])).toEqual([
      ['assertions', true, 'pass'],
    ]);
    const judged: { judge_type: string }[] = await harness.db.dataSource.query(
      'SELECT DISTINCT judge_type FROM judge_scores WHERE run_id = $1',
      [run.id],
    );
    expect(judged).toEqual([{ judge_type: 'assertions' }]);
    expect((await findCompletedConfigRun(harness.apiDeps(), fx.project.id, configSha256))?.id).toBe(run.id);

    // The same config at another commit measures the same thing: cached answers, no new model call.
    const second = await startConfigRun(harness.apiDeps(), { ...input, git_commit_sha: 'f'.repeat(40) });
    expect(second.configSha256).toBe(configSha256);
    await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(second.run.id)).result();
    expect(harness.llm.requestsFor(model)).toHaveLength(2);
    const again = await harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: second.run.id });
    expect(again).toMatchObject({ status: 'completed', baseline_run_id: run.id });
    expect((again.summary as { samples: { cached: number } }).samples.cached).toBe(2);
  });
});
