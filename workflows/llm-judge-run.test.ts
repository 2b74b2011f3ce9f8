/** LLM-as-judge inside a real run: the judge's endpoint is called through the model runner, its verdict
 * parsed, tokens and cost recorded per score and in the run's judge spend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../api/services/runs.js';
import { EvalRun, LlmEndpoint } from '../db/entities/index.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { type FakeLlmServer, startFakeLlmServer } from '../test/fakes/llm-server.js';
import { createProjectFixture } from '../test/fixtures/projects.js';
import { useRunHarness } from '../test/helpers/index.js';

const harness = useRunHarness();
let judgeModel: FakeLlmServer;

beforeAll(async () => {
  // The judge model grades answers that contain the reference as 5/5, others 1/5.
  judgeModel = await startFakeLlmServer({
    respond: ({ input }) => {
      const reference = /REFERENCE ANSWER[^\n]*\n+([^\n]+)/.exec(input)?.[1]?.trim() ?? '';
      const response = /RESPONSE[^\n]*\n+([\s\S]*)$/.exec(input)?.[1] ?? '';
      const correct = reference !== '' && response.includes(reference);
      return {
        content: JSON.stringify({
          reasoning: correct ? 'matches' : 'wrong',
          criteria: { correct: correct ? 5 : 1 },
        }),
        usage: { inputTokens: 100, outputTokens: 20 },
      };
    },
  });
});
afterAll(async () => {
  await judgeModel?.close();
});

describe('LLM-as-judge in a run', () => {
  it('scores every result through the judge endpoint and records its tokens and cost', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 4,
      endpointUrl: harness.llm.openaiBaseUrl,
    });
    const judgeEndpoint = await harness.db.dataSource.getRepository(LlmEndpoint).save({
      project_id: fx.project.id,
      name: 'judge',
      provider: 'openai',
      model_name: 'judge-model',
      endpoint_url: judgeModel.openaiBaseUrl,
      config: { temperature: 0, price_per_1k_input: 1, price_per_1k_output: 2 },
      api_key_env: null,
    });
    await harness.db.dataSource.query(
      `INSERT INTO guardrail_configs (project_id, judge_type, threshold, is_blocking, config)
       VALUES ($1, 'llm_judge', 0.6, false, $2)`,
      [
        fx.project.id,
        JSON.stringify({
          endpoint_id: judgeEndpoint.id,
          criteria: [{ name: 'correct', description: 'The response gives the reference answer.' }],
        }),
      ],
    );
    const { run } = await startRun(harness.apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
    });
    const outcome = await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
    expect(outcome.status).toBe('completed');

    const scores: {
      score: number;
      passed: boolean;
      error: string | null;
      model_id: string;
      token_count_input: number;
      cost_usd: string;
    }[] = await harness.db.dataSource.query(
      `SELECT * FROM judge_scores WHERE run_id = $1 AND judge_type = 'llm_judge'`,
      [run.id],
    );
    expect(scores).toHaveLength(4);
    for (const s of scores) {
      expect(s.error).toBeNull();
      expect(s.score).toBe(1);
      expect(s.passed).toBe(true);
      expect(s.model_id).toBe('judge-model');
      expect(s.token_count_input).toBe(100);
    }
    const finished = await harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id });
    // 4 × (100 × $1 + 20 × $2) / 1000 = $0.56 of judge spend, kept apart from generation cost.
    expect(finished.judge_cost_usd).toBeCloseTo(0.56, 6);
  });
});
