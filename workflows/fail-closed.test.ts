import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { startRun } from '../api/services/runs.js';
import { EvalRun } from '../db/entities/index.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { createProjectFixture } from '../test/fixtures/projects.js';
import { runCli } from '../test/helpers/cli.js';
import { freePort, useRunHarness } from '../test/helpers/index.js';

const harness = useRunHarness({ seed: 11 });
let apiUrl: string;
let server: ReturnType<typeof serve>;

beforeAll(async () => {
  const port = await freePort();
  server = serve({ fetch: createApp(harness.apiDeps()).fetch, port, hostname: '127.0.0.1' });
  apiUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const api = async (pathAndQuery: string) => {
  const res = await fetch(`${apiUrl}${pathAndQuery}`);
  // biome-ignore lint/suspicious/noExplicitAny: response bodies of several routes, read field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

async function finish(runId: string) {
  await harness.temporal.client.workflow
    .getHandle(evalRunWorkflowId(runId))
    .result()
    .catch(() => undefined);
  return harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: runId });
}

const cli = (args: string[]) => runCli(args, { env: { EVALFORGE_URL: apiUrl } });

describe('the gate fails closed', () => {
  it('a dead endpoint: run failed, verdict error, CLI exit 4, CI status failure, never a baseline', async () => {
    const deadPort = await freePort();
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 4,
      endpointUrl: `http://127.0.0.1:${deadPort}/v1`,
      endpointConfig: { max_attempts: 1, timeout_ms: 2_000 },
      guardrails: [
        {
          judge_type: 'assertions',
          threshold: 1,
          is_blocking: true,
          config: { assertions: [{ type: 'contains', reference: true }] },
        },
      ],
    });
    const sha = 'deadbeef00000000000000000000000000000001';
    const started = await cli([
      'run',
      '--project',
      fx.project.id,
      '--dataset',
      fx.dataset.id,
      '--endpoint',
      fx.endpoint.id,
      '--sha',
      sha,
      '--branch',
      'main',
      '--wait',
      '--poll-interval',
      '0.2',
    ]);
    expect(started.code).toBe(4);
    expect(started.stdout + started.stderr).not.toMatch(/safe to merge/);

    const [run] = await harness.db.dataSource.getRepository(EvalRun).findBy({ project_id: fx.project.id });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/no sample produced output/);
    expect(run.summary).toMatchObject({ verdict: 'error', blocking_errors: ['assertions'] });

    const report = await api(`/api/ci/report/${run.id}`);
    expect(report.body.gate.state).toBe('error');
    expect(report.body.markdown).not.toMatch(/safe to merge/);
    const status = await api(`/api/ci/status/${sha}`);
    expect(status.body.state).toBe('failure');
    expect(await fetch(`${apiUrl}/api/ci/badge/${fx.project.id}`).then((r) => r.text())).toContain(
      'not evaluated',
    );

    // A later run on a working endpoint never takes the empty run as its baseline.
    await harness.db.dataSource.query(`UPDATE llm_endpoints SET endpoint_url = $2 WHERE id = $1`, [
      fx.endpoint.id,
      harness.llm.openaiBaseUrl,
    ]);
    const next = await startRun(harness.apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
    });
    const nextRun = await finish(next.run.id);
    expect(nextRun.status).toBe('completed');
    expect(nextRun.baseline_run_id).toBeNull();
  });

  it('a judge that errors on every sample: guardrail error, blocking verdict error, kept in compare', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 3,
      endpointUrl: harness.llm.openaiBaseUrl,
    });
    // An old row the API would now refuse (no check at all): every score is a judge error.
    await harness.db.dataSource.query(
      `INSERT INTO guardrail_configs (project_id, judge_type, threshold, is_blocking, config) VALUES ($1, 'format', 1, true, '{}')`,
      [fx.project.id],
    );
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const { run } = await startRun(harness.apiDeps(), {
        project_id: fx.project.id,
        dataset_id: fx.dataset.id,
        endpoint_id: fx.endpoint.id,
      });
      runs.push(await finish(run.id));
    }
    const [first] = runs;
    expect(first.status).toBe('completed');
    expect(first.summary).toMatchObject({
      verdict: 'error',
      blocking_errors: ['format'],
      guardrails: [{ judge_type: 'format', outcome: 'error', passed: false }],
    });
    const gate = (await api(`/api/eval/runs/${first.id}`)).body.gate;
    expect(gate).toMatchObject({ state: 'error', blocking_errors: ['format'] });
    // The judge is listed (not compared), instead of vanishing from the comparison.
    const compare = await api(`/api/eval/compare?run_ids=${runs[0].id},${runs[1].id}`);
    expect(compare.status).toBe(200);
    expect(compare.body.judges).toEqual([
      expect.objectContaining({ judge_type: 'format', verdict: 'inconclusive', n: 0 }),
    ]);
    // The errored run was not a baseline for the second.
    expect(runs[1].baseline_run_id).toBeNull();
  });

  it('a run-time judge selection never skips a blocking guardrail', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 3,
      endpointUrl: harness.llm.openaiBaseUrl,
      guardrails: [
        { judge_type: 'format', threshold: 1, is_blocking: true, config: { min_length: 100000 } },
        { judge_type: 'assertions', threshold: 1, config: { assertions: [{ type: 'contains', value: '' }] } },
      ],
    });
    const { run } = await startRun(harness.apiDeps(), {
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      endpoint_id: fx.endpoint.id,
      judges: ['assertions'],
    });
    const finished = await finish(run.id);
    expect(Object.keys(finished.summary.judges as object).sort()).toEqual(['assertions', 'format']);
    expect(finished.summary).toMatchObject({ verdict: 'fail', blocking_failures: ['format'] });
  });

  it('a run with more failed samples than the project allows is never a baseline', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 2,
      endpointUrl: harness.llm.openaiBaseUrl,
    });
    // A finished run in which 3 of 10 samples failed (30% > the default 5%).
    const flaky = await harness.db.dataSource.getRepository(EvalRun).save({
      project_id: fx.project.id,
      dataset_id: fx.dataset.id,
      dataset_version_id: fx.version.id,
      endpoint_id: fx.endpoint.id,
      status: 'completed',
      completed_at: new Date(),
      summary: { verdict: 'pass', samples: { total: 10, succeeded: 7, failed: 3 } },
    });
    const start = async () => {
      const { run } = await startRun(harness.apiDeps(), {
        project_id: fx.project.id,
        dataset_id: fx.dataset.id,
        endpoint_id: fx.endpoint.id,
      });
      return finish(run.id);
    };
    expect((await start()).baseline_run_id).toBeNull();

    const patch = (share: unknown) =>
      fetch(`${apiUrl}/api/projects/${fx.project.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ baseline_max_failed_share: share }),
      });
    expect((await patch(1.5)).status).toBe(400);
    const allowed = await patch(0.5);
    expect(await allowed.json()).toMatchObject({ baseline_max_failed_share: 0.5 });
    // Now eligible, but the run just finished is newer and clean: it is the baseline.
    await harness.db.dataSource.query(
      `UPDATE eval_runs SET completed_at = now() + interval '1 hour' WHERE id = $1`,
      [flaky.id],
    );
    expect((await start()).baseline_run_id).toBe(flaky.id);
  });

  it('two identical 10-sample runs are inconclusive, not "no change"', async () => {
    const fx = await createProjectFixture(harness.db.dataSource, {
      samples: 10,
      endpointUrl: harness.llm.openaiBaseUrl,
      guardrails: [{ judge_type: 'format', threshold: 1, config: { min_length: 1 } }],
    });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { run } = await startRun(harness.apiDeps(), {
        project_id: fx.project.id,
        dataset_id: fx.dataset.id,
        endpoint_id: fx.endpoint.id,
      });
      ids.push((await finish(run.id)).id);
    }
    const compare = await api(`/api/eval/compare?run_ids=${ids[0]},${ids[1]}`);
    expect(compare.body.judges).toEqual([
      expect.objectContaining({ judge_type: 'format', verdict: 'inconclusive', n: 10, delta: 0 }),
    ]);
  });
});
