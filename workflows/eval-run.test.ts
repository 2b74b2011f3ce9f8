/**
 * The evalRun workflow end to end on a real Temporal server, real PostgreSQL and a local LLM server
 * speaking the OpenAI wire protocol.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { startRun } from '../api/services/runs.js';
import { EvalRun } from '../db/entities/index.js';
import { evalRunWorkflowId, TASK_QUEUES } from '../temporal.config.js';
import { createProjectFixture } from '../test/fixtures/projects.js';
import { useRunHarness } from '../test/helpers/index.js';
import { evalRun, progressQuery } from './index.js';

const harness = useRunHarness({ seed: 7 });
const apiDeps = () => harness.apiDeps();

async function fixture(samples: number, model: string, endpointConfig: Record<string, unknown> = {}) {
  return createProjectFixture(harness.db.dataSource, {
    samples,
    modelName: model,
    endpointUrl: harness.llm.openaiBaseUrl,
    endpointConfig: { concurrency: 8, ...endpointConfig },
  });
}

async function runRows(runId: string) {
  const results: { sample_id: string; repetition: number; status: string; error: string | null }[] =
    await harness.db.dataSource.query(
      'SELECT sample_id, repetition, status, error FROM eval_results WHERE run_id = $1',
      [runId],
    );
  const run = await harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: runId });
  return { results, run };
}

describe('evalRun workflow', () => {
  it('generates every sample exactly once in chunks and completes with a summary', async () => {
    const fx = await fixture(23, 'model-happy');
    const { run } = await startRun(apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
      chunk_size: 5,
      max_parallel_chunks: 2,
    });
    const handle = harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id));
    const outcome = await handle.result();
    expect(outcome.status).toBe('completed');
    expect(outcome.progress).toMatchObject({ total: 23, done: 23, failed: 0, chunksDone: 5, chunkCount: 5 });

    const { results, run: finished } = await runRows(run.id);
    expect(results).toHaveLength(23);
    expect(new Set(results.map((r) => r.sample_id)).size).toBe(23);
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expect(finished.status).toBe('completed');
    expect(finished.started_at).not.toBeNull();
    expect(finished.completed_at).not.toBeNull();
    expect(finished.summary).toMatchObject({
      samples: { total: 23, succeeded: 23, failed: 0 },
      verdict: 'pass',
    });
    expect(finished.input_tokens).toBeGreaterThan(0);
    expect(harness.llm.requestsFor('model-happy')).toHaveLength(23);
    // A finished workflow still answers the progress query.
    expect((await handle.query(progressQuery)).phase).toBe('completed');
  });

  it('serves the finished run through results, scores, export and the event stream', async () => {
    const fx = await fixture(6, 'model-served', {});
    await harness.db.dataSource.query(
      `INSERT INTO guardrail_configs (project_id, judge_type, threshold, is_blocking, config) VALUES ($1, 'assertions', 1, true, $2)`,
      [fx.project.id, JSON.stringify({ assertions: [{ type: 'contains', reference: true }] })],
    );
    const { run } = await startRun(apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
    });
    await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
    const { createApp } = await import('../api/app.js');
    const app = createApp(apiDeps());

    const page = await (
      await app.request(`/api/eval/runs/${run.id}/results?limit=4&judge=assertions&passed=true`)
    ).json();
    expect(page.total).toBe(6);
    expect(page.items).toHaveLength(4);
    expect(page.items[0].scores[0]).toMatchObject({ judge_type: 'assertions', passed: true, score: 1 });
    const scores = await (
      await app.request(`/api/eval/runs/${run.id}/results/${page.items[0].id}/scores`)
    ).json();
    expect(scores.map((x: { judge_type: string }) => x.judge_type)).toEqual(['assertions']);

    const csv = await app.request(`/api/eval/runs/${run.id}/export?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^result_id,sample_key,/);
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain('assertions=1(pass)');
    const json = await (await app.request(`/api/eval/runs/${run.id}/export?format=json`)).json();
    expect(json).toHaveLength(6);

    // A finished run's stream sends its progress, every result, then `done`, and closes.
    const events = await (await app.request(`/api/eval/runs/${run.id}/events`)).text();
    const names = [...events.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe('progress');
    expect(names.filter((n) => n === 'result')).toHaveLength(6);
    expect(names.at(-1)).toBe('done');
  });

  it('continues as new to keep history bounded and still loses nothing', async () => {
    const fx = await fixture(40, 'model-long');
    const { run } = await startRun(apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
    });
    // Restart it with a tiny history budget: the API-started execution is replaced by this one.
    const workflowId = `${evalRunWorkflowId(run.id)}-can`;
    await harness.temporal.client.workflow
      .getHandle(evalRunWorkflowId(run.id))
      .terminate('replaced by test execution');
    await harness.db.dataSource
      .getRepository(EvalRun)
      .update({ id: run.id }, { status: 'pending', config: { chunk_size: 2, max_parallel_chunks: 2 } });
    const handle = await harness.temporal.client.workflow.start(evalRun, {
      taskQueue: TASK_QUEUES.orchestration,
      workflowId,
      args: [{ runId: run.id, historyEventsBeforeContinue: 40 }],
    });
    const outcome = await handle.result();
    expect(outcome.status).toBe('completed');
    expect(outcome.progress.done).toBe(40);
    const first = await harness.temporal.client.workflow
      .getHandle(workflowId, handle.firstExecutionRunId)
      .describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const { results } = await runRows(run.id);
    expect(results).toHaveLength(40);
    expect(new Set(results.map((r) => r.sample_id)).size).toBe(40);
  });

  it('records every sample as succeeded or failed-with-reason when the endpoint misbehaves', async () => {
    const model = 'model-flaky';
    harness.llm.setModelBehaviour(model, {
      rates: { rate_limit: 0.2, retryAfterSeconds: 1, server_error: 0.05, hang: 0.02, malformed_json: 0.01 },
    });
    const fx = await fixture(40, model, { timeout_ms: 1_000, max_attempts: 4, concurrency: 16 });
    const { run } = await startRun(apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
      chunk_size: 20,
    });
    const outcome = await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
    expect(outcome.status).toBe('completed');
    const { results, run: finished } = await runRows(run.id);
    expect(results).toHaveLength(40);
    for (const r of results) {
      expect(['succeeded', 'failed']).toContain(r.status);
      if (r.status === 'failed') expect(r.error).toBeTruthy();
    }
    expect(finished.summary).toMatchObject({ samples: { total: 40 } });
    const stats = harness.llm.stats();
    expect(stats.byFault.rate_limit ?? 0).toBeGreaterThan(0);
  });

  it('cancels mid-run: stops new work, keeps what it has, status cancelled', async () => {
    const model = 'model-slow';
    harness.llm.setModelBehaviour(model, { latency: { baseMs: 150 } });
    const fx = await fixture(80, model, { concurrency: 2 });
    const { run } = await startRun(apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
      chunk_size: 4,
      max_parallel_chunks: 1,
    });
    const handle = harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id));
    await expect
      .poll(async () => (await runRows(run.id)).results.length, { timeout: 20_000 })
      .toBeGreaterThan(4);
    const { cancelRun } = await import('../api/services/runs.js');
    await cancelRun(apiDeps(), run.id);
    const outcome = await handle.result();
    expect(outcome.status).toBe('cancelled');
    const { results, run: finished } = await runRows(run.id);
    expect(finished.status).toBe('cancelled');
    expect(finished.cancelled_at).not.toBeNull();
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThan(80);
    expect((finished.summary as { samples: { total: number } }).samples.total).toBe(results.length);
  });

  it('stops at the budget cap and ends budget_exceeded with what it has', async () => {
    const fx = await fixture(30, 'model-pricey', {
      price_per_1k_input: 1000,
      price_per_1k_output: 1000,
      concurrency: 1,
    });
    const { run } = await startRun(apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
      budget_usd: 0.5,
      chunk_size: 5,
      max_parallel_chunks: 1,
    });
    const outcome = await harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result();
    expect(outcome.status).toBe('budget_exceeded');
    const { results, run: finished } = await runRows(run.id);
    expect(finished.status).toBe('budget_exceeded');
    expect(results.length).toBeLessThan(30);
    expect(finished.cost_usd).toBeLessThanOrEqual(0.5 + 1e-9);
  });

  it('fails the run with the reason when its endpoint cannot work at all', async () => {
    const fx = await fixture(3, 'model-misconfigured', { temperature: 7 });
    const { run } = await startRun(apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
    });
    await expect(
      harness.temporal.client.workflow.getHandle(evalRunWorkflowId(run.id)).result(),
    ).rejects.toThrow(WorkflowFailedError);
    const { run: finished } = await runRows(run.id);
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/temperature/);
  });
});
