/**
 * The `evalforge` CLI as CI runs it: a child process (cli/bin.mjs) talking HTTP to a real API server
 * on a free port, on a real database and Temporal. No worker runs: a test finishes a run by writing
 * its row, as the workflow's last steps would.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createApp } from '../api/app.js';
import {
  EvalDataset,
  EvalResult,
  EvalRun,
  EvalSample,
  JudgeScore,
  LlmEndpoint,
  Project,
} from '../db/entities/index.js';
import {
  blockingFailureSummary,
  passingSummary,
  regressionSummary,
} from '../github-app/test-support/summaries.js';
import { createLogger } from '../lib/logger.js';
import { PROJECT_ROOT } from '../runtime/child-process.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import { type CliResult, runCli } from '../test/helpers/cli.js';
import {
  createTestDatabase,
  createTestTemporal,
  freePort,
  type TestDatabase,
  type TestTemporal,
} from '../test/helpers/index.js';
import { EXIT } from './exit-codes.js';

let db: TestDatabase;
let temporal: TestTemporal;
let server: ReturnType<typeof serve>;
let url: string;
let fx: ProjectFixture;
let tmp: string;

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
  const app = createApp({
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-cli-api', 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  });
  const port = await freePort();
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  url = `http://127.0.0.1:${port}`;
  fx = await createProjectFixture(db.dataSource, {
    samples: 3,
    guardrails: [{ judge_type: 'pii', threshold: 0.5, is_blocking: true }],
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-cli-'));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await temporal?.close();
  await db?.drop();
});

/** The CLI with a clean environment (the test runner's own CI variables must not leak in). */
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: tmp, env: { HOME: tmp, EVALFORGE_URL: url, ...env } });

const runArgs = () => [
  'run',
  '--project',
  fx.project.id,
  '--dataset',
  fx.dataset.id,
  '--endpoint',
  fx.endpoint.id,
];

/** Waits for the run the CLI started (found by commit) and finishes it as the workflow would. */
async function finishWhenStarted(sha: string, status: EvalRun['status'], summary: object) {
  const runs = db.dataSource.getRepository(EvalRun);
  for (let i = 0; i < 300; i++) {
    const run = await runs.findOneBy({ git_commit_sha: sha });
    if (run) {
      await runs.update(
        { id: run.id },
        {
          status,
          summary: summary as never,
          completed_at: new Date(),
          error: status === 'failed' ? 'endpoint unreachable' : null,
        },
      );
      return run;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no run for ${sha}`);
}

/** GitHub Actions' environment for a pull_request job (GITHUB_SHA is the merge commit there). */
function actionsEnv(opts: { headSha: string; prNumber: number; runId: string }) {
  const eventPath = path.join(tmp, `event-${opts.runId}.json`);
  fs.writeFileSync(
    eventPath,
    JSON.stringify({ pull_request: { number: opts.prNumber, head: { sha: opts.headSha } } }),
  );
  const summaryPath = path.join(tmp, `summary-${opts.runId}.md`);
  return {
    env: {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_HEAD_REF: 'feature/prompt-v2',
      GITHUB_BASE_REF: 'main',
      GITHUB_REF_NAME: `${opts.prNumber}/merge`,
      GITHUB_REPOSITORY: 'acme/support-bot',
      GITHUB_RUN_ID: opts.runId,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'eval',
      GITHUB_STEP_SUMMARY: summaryPath,
    },
    summaryPath,
  };
}

/**
 * A proxy to the API that forwards the first POST /api/eval/run and then drops the connection instead of
 * answering: the run exists on the server, but the CLI never hears of it.
 */
async function startLossyProxy(target: string) {
  const startKeys: string[] = [];
  const proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['accept', 'authorization', 'content-type', 'idempotency-key']) {
      if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const text = await upstream.text();
    if (req.method === 'POST' && req.url === '/api/eval/run') {
      startKeys.push(headers['idempotency-key']);
      if (startKeys.length === 1) return void req.socket.destroy();
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    res.end(text);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    startKeys,
    close: () => new Promise((r) => proxy.close(r)),
  };
}

describe('evalforge run', () => {
  it('starts a run and prints where to find it', async () => {
    const res = await cli([...runArgs(), '--sha', 'abcdef1', '--branch', 'dev']);
    expect(res.code, res.stderr).toBe(EXIT.OK);
    const id = /^run ([0-9a-f-]{36}) pending: (\S+)$/m.exec(res.stdout);
    expect(id?.[2]).toBe(`${url}/runs/${id?.[1]}`);
    const run = await db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: id![1] });
    expect(run).toMatchObject({ trigger_type: 'manual', git_commit_sha: 'abcdef1', git_branch: 'dev' });
  });

  it('in GitHub Actions: takes the PR head commit, waits, fails on a blocking guardrail and writes the step summary', async () => {
    const headSha = '1'.repeat(40);
    const { env, summaryPath } = actionsEnv({ headSha, prNumber: 42, runId: '1001' });
    const [res, run] = await Promise.all([
      cli([...runArgs(), '--wait', '--json', '--poll-interval', '0.2'], env),
      finishWhenStarted(headSha, 'completed', blockingFailureSummary()),
    ]);
    expect(res.code, res.stderr).toBe(EXIT.GATE_FAILED);
    expect(run).toMatchObject({
      trigger_type: 'ci',
      git_branch: 'feature/prompt-v2',
      git_base_branch: 'main',
      pr_number: 42,
    });
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({
      passed: false,
      exit_code: EXIT.GATE_FAILED,
      gates: ['guardrail'],
      reasons: ['blocking guardrail failed: pii'],
      run: { id: run.id, status: 'completed' },
    });
    const summary = fs.readFileSync(summaryPath, 'utf8');
    expect(summary).toContain(`EvalForge — Eval Results for commit ${headSha.slice(0, 7)}`);
    expect(summary).toContain('| Judge | Score |');
    expect(summary).toContain('blocking guardrail failed: pii');
  });

  it('a retried step of the same workflow attempt finds the run it started', async () => {
    const { env } = actionsEnv({ headSha: '2'.repeat(40), prNumber: 43, runId: '1002' });
    const first = await cli([...runArgs(), '--json'], env);
    const second = await cli([...runArgs(), '--json'], env);
    expect(first.code, first.stderr).toBe(EXIT.OK);
    expect(JSON.parse(second.stdout).id).toBe(JSON.parse(first.stdout).id);
  });

  it('a second run in the same job with other options gets its own run, not a refused key', async () => {
    const { env } = actionsEnv({ headSha: '9'.repeat(40), prNumber: 45, runId: '1004' });
    const first = await cli([...runArgs(), '--json'], env);
    const other = await cli([...runArgs(), '--repetitions', '2', '--json'], env);
    const retried = await cli([...runArgs(), '--json'], env);
    for (const r of [first, other, retried]) expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(JSON.parse(other.stdout).id).not.toBe(JSON.parse(first.stdout).id);
    expect(JSON.parse(other.stdout).repetitions).toBe(2);
    expect(JSON.parse(retried.stdout).id).toBe(JSON.parse(first.stdout).id);
  });

  it('retries the start with the same Idempotency-Key when its answer is lost: one run', async () => {
    const sha = 'a'.repeat(40);
    const proxy = await startLossyProxy(url);
    try {
      const res = await cli([...runArgs(), '--sha', sha, '--json'], { EVALFORGE_URL: proxy.url });
      expect(res.code, res.stderr).toBe(EXIT.OK);
      expect(proxy.startKeys).toHaveLength(2);
      expect(proxy.startKeys[1]).toBe(proxy.startKeys[0]);
      const runs = await db.dataSource.getRepository(EvalRun).findBy({ git_commit_sha: sha });
      expect(runs.map((r) => r.id)).toEqual([JSON.parse(res.stdout).id]);
    } finally {
      await proxy.close();
    }
  });

  it('passes the guardrail gate, fails the regression gate when asked, with plain log lines in CI', async () => {
    const shaA = '3'.repeat(40);
    const [pass] = await Promise.all([
      cli([...runArgs(), '--sha', shaA, '--wait', '--poll-interval', '0.2'], { CI: 'true' }),
      finishWhenStarted(shaA, 'completed', regressionSummary()),
    ]);
    expect(pass.code, pass.stderr).toBe(EXIT.OK);
    expect(pass.stderr).toMatch(/^evalforge: run [0-9a-f-]{36} started: http/m);
    expect(pass.stderr).not.toContain('\r');
    // The log gets the report as plain text: an aligned table, no Markdown escapes.
    expect(pass.stdout).toMatch(/^Judge\s+Score/m);
    expect(pass.stdout).not.toMatch(/\\[-.:()]|\*\*|^\|/m);

    const shaB = '4'.repeat(40);
    const [gated] = await Promise.all([
      cli([
        ...runArgs(),
        '--sha',
        shaB,
        '--wait',
        '--fail-on',
        'guardrail,regression',
        '--poll-interval',
        '0.2',
      ]),
      finishWhenStarted(shaB, 'completed', regressionSummary()),
    ]);
    expect(gated.code).toBe(EXIT.GATE_FAILED);
    expect(gated.stderr).toContain('regression vs baseline: similarity');
  });

  it('exits 4 when the run itself failed, and 6 when --timeout passes first', async () => {
    const sha = '5'.repeat(40);
    const [failed] = await Promise.all([
      cli([...runArgs(), '--sha', sha, '--wait', '--fail-on', 'none', '--poll-interval', '0.2']),
      finishWhenStarted(sha, 'failed', {}),
    ]);
    expect(failed.code).toBe(EXIT.RUN_FAILED);
    expect(failed.stderr).toContain('run failed: endpoint unreachable');

    const slow = await cli([...runArgs(), '--wait', '--timeout', '0.5', '--poll-interval', '0.2']);
    expect(slow.code).toBe(EXIT.TIMEOUT);
    expect(slow.stderr).toMatch(/has not finished after 1 s; cancelled it/);
  });

  it('exits 2 for usage errors, 3 for requests the server refuses, 5 when it cannot reach the server', async () => {
    expect((await cli(['run', '--project', fx.project.id])).code).toBe(EXIT.USAGE);
    expect((await cli([...runArgs(), '--fail-on', 'regression'])).code).toBe(EXIT.USAGE);
    expect((await cli([...runArgs(), '--wait', '--fail-on', 'vibes'])).code).toBe(EXIT.USAGE);
    expect((await cli(['frobnicate'])).code).toBe(EXIT.USAGE);

    const missing = await cli([
      'run',
      '--project',
      fx.project.id,
      '--dataset',
      crypto.randomUUID(),
      '--endpoint',
      fx.endpoint.id,
    ]);
    expect(missing.code).toBe(EXIT.API_ERROR);
    expect(missing.stderr).toMatch(/404 not_found dataset/);

    const closedPort = await freePort();
    const down = await cli(['runs', 'show', crypto.randomUUID()], {
      EVALFORGE_URL: `http://127.0.0.1:${closedPort}`,
    });
    expect(down.code).toBe(EXIT.UNAVAILABLE);
    expect(down.stderr).toContain('cannot reach EvalForge');
  });
});

describe('evalforge runs / datasets', () => {
  it('shows a finished run as its report, or as JSON', async () => {
    const sha = '6'.repeat(40);
    const [, run] = await Promise.all([
      cli([...runArgs(), '--sha', sha]),
      finishWhenStarted(sha, 'completed', passingSummary()),
    ]);
    const shown = await cli(['runs', 'show', run.id]);
    expect(shown.code, shown.stderr).toBe(EXIT.OK);
    expect(shown.stdout).toContain(`commit ${sha.slice(0, 7)}`);
    const json = await cli(['runs', 'show', run.id, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: run.id, status: 'completed' });
    expect((await cli(['runs', 'show', crypto.randomUUID()])).code).toBe(EXIT.API_ERROR);
  });

  it('explains a server that has no run comparison', async () => {
    // An EvalForge server without GET /api/eval/compare answers with its JSON "no route" 404.
    const old = http.createServer((req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'not_found', message: `no route for GET ${req.url?.split('?')[0]}` },
        }),
      );
    });
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', r));
    try {
      const { port } = old.address() as AddressInfo;
      const res = await cli(['runs', 'compare', crypto.randomUUID(), crypto.randomUUID()], {
        EVALFORGE_URL: `http://127.0.0.1:${port}`,
      });
      expect(res.code).toBe(EXIT.API_ERROR);
      expect(res.stderr).toContain('has no run comparison');
    } finally {
      old.close();
    }
  });

  it('uploads a CSV file as a new dataset version', async () => {
    const file = path.join(tmp, 'samples.csv');
    fs.writeFileSync(file, 'input_text,reference_output\nWhat is 2+2?,4\nCapital of France?,Paris\n');
    const res = await cli(['datasets', 'upload', file, '--dataset', fx.dataset.id, '--json']);
    expect(res.code, res.stderr).toBe(EXIT.OK);
    expect(JSON.parse(res.stdout)).toMatchObject({
      dataset_id: fx.dataset.id,
      rows: 2,
      added: 2,
      version: { version: 2 },
    });

    const unknown = await cli(['datasets', 'upload', path.join(tmp, 'nope.csv'), '--dataset', fx.dataset.id]);
    expect(unknown.code).toBe(EXIT.USAGE);
  });
});

describe('evalforge for people: lists, names, readable output', () => {
  let people: ProjectFixture;
  let other: ProjectFixture;

  beforeAll(async () => {
    // Three projects named "fixture project" (fx, other, and people before its rename): a name that is ambiguous.
    [people, other] = [await createProjectFixture(db.dataSource), await createProjectFixture(db.dataSource)];
    await db.dataSource.getRepository(Project).update({ id: people.project.id }, { name: 'people-cli' });
    await db.dataSource.getRepository(EvalDataset).update({ id: people.dataset.id }, { name: 'golden qa' });
    await db.dataSource.getRepository(LlmEndpoint).update({ id: people.endpoint.id }, { name: 'prod' });
  });

  /** Starts a run by names and finishes it as the workflow would. */
  async function finishedRun(sha: string, branch: string, summary: object) {
    const res = await cli([
      'run',
      '--project',
      'people-cli',
      '--dataset',
      'golden qa',
      '--endpoint',
      'prod',
      '--sha',
      sha,
      '--branch',
      branch,
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(EXIT.OK);
    const { id } = JSON.parse(res.stdout);
    await db.dataSource
      .getRepository(EvalRun)
      .update({ id }, { status: 'completed', summary: summary as never, completed_at: new Date() });
    return id as string;
  }

  it('lists projects, datasets and endpoints as aligned tables, or JSON', async () => {
    const projects = await cli(['projects', 'list']);
    expect(projects.code, projects.stderr).toBe(EXIT.OK);
    expect(projects.stdout).toMatch(/^ID\s+NAME\s+DESCRIPTION\s+CREATED$/m);
    expect(projects.stdout).toMatch(new RegExp(`^${people.project.id.slice(0, 8)}\\s+people-cli\\s`, 'm'));
    expect(projects.stdout).not.toContain(people.project.id);
    expect((await cli(['projects', 'list', '--wide'])).stdout).toContain(people.project.id);
    const json = JSON.parse((await cli(['projects', 'list', '--json'])).stdout);
    expect(json.items.map((p: { id: string }) => p.id)).toContain(people.project.id);

    const datasets = await cli(['datasets', 'list', '--project', 'people-cli']);
    expect(datasets.code, datasets.stderr).toBe(EXIT.OK);
    expect(datasets.stdout).toMatch(/^ID\s+NAME\s+VERSION\s+SAMPLES\s+CREATED$/m);
    expect(datasets.stdout).toMatch(/golden qa\s+v1\s+10\s/);
    expect(datasets.stdout).not.toContain('fixture dataset');
    const all = await cli(['datasets', 'list']);
    expect(all.stdout).toMatch(/golden qa\s+people-cli\s+v1/);

    const endpoints = await cli(['endpoints', 'list', '--project', people.project.id.slice(0, 8), '--json']);
    expect(endpoints.code, endpoints.stderr).toBe(EXIT.OK);
    expect(JSON.parse(endpoints.stdout)).toMatchObject({
      items: [{ id: people.endpoint.id, name: 'prod', model_name: 'fake-model' }],
      total: 1,
    });
    expect((await cli(['endpoints', 'list'])).code).toBe(EXIT.USAGE);
  });

  it('takes names for projects, datasets and endpoints; an ambiguous or unknown name lists the candidates', async () => {
    const ambiguous = await cli(['datasets', 'list', '--project', 'fixture project']);
    expect(ambiguous.code).toBe(EXIT.USAGE);
    expect(ambiguous.stderr).toContain('--project "fixture project" is ambiguous');
    expect(ambiguous.stderr).toContain(fx.project.id);
    expect(ambiguous.stderr).toContain(other.project.id);

    const unknown = await cli(['endpoints', 'list', '--project', 'nope']);
    expect(unknown.code).toBe(EXIT.USAGE);
    expect(unknown.stderr).toContain('no project named "nope"');
    expect(unknown.stderr).toContain(`${people.project.id}  people-cli`);

    const noEndpoint = await cli([
      'run',
      '--project',
      'people-cli',
      '--dataset',
      'golden qa',
      '--endpoint',
      'staging',
    ]);
    expect(noEndpoint.code).toBe(EXIT.USAGE);
    expect(noEndpoint.stderr).toMatch(/no endpoint named "staging".*\n.*prod \(openai fake-model\)/);
    fs.writeFileSync(path.join(tmp, 'x.csv'), 'input_text\nhello\n');
    const nameWithoutProject = await cli(['datasets', 'upload', 'x.csv', '--dataset', 'golden qa']);
    expect(nameWithoutProject.code).toBe(EXIT.USAGE);
    expect(nameWithoutProject.stderr).toContain('give --project too');

    const sha = 'c'.repeat(40);
    const id = await finishedRun(sha, 'people/names', passingSummary());
    const run = await db.dataSource.getRepository(EvalRun).findOneByOrFail({ id });
    expect(run).toMatchObject({
      project_id: people.project.id,
      dataset_id: people.dataset.id,
      endpoint_id: people.endpoint.id,
    });
  });

  it('lists runs with names, verdicts and filters; shows a run by short id or branch as plain text', async () => {
    const id = await finishedRun('d'.repeat(40), 'people/list', blockingFailureSummary());
    const list = await cli(['runs', 'list', '--project', 'people-cli', '--branch', 'people/list']);
    expect(list.code, list.stderr).toBe(EXIT.OK);
    expect(list.stdout).toMatch(/^ID\s+STATUS\s+VERDICT\s+ENDPOINT\s+DATASET\s+BRANCH\s+COMMIT\s+CREATED$/m);
    expect(list.stdout).toMatch(
      new RegExp(
        `^${id.slice(0, 8)}\\s+completed\\s+fail\\s+prod \\(fake-model\\)\\s+golden qa v1\\s+people/list\\s+ddddddd\\s`,
        'm',
      ),
    );
    const failed = await cli(['runs', 'list', '--project', 'people-cli', '--status', 'failed']);
    expect(failed.stdout).toBe('no runs\n');
    expect((await cli(['runs', 'list', '--status', 'vibes'])).code).toBe(EXIT.USAGE);
    const json = JSON.parse(
      (await cli(['runs', 'list', '--project', 'people-cli', '--limit', '1', '--json'])).stdout,
    );
    expect(json.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(json.total).toBeGreaterThanOrEqual(1);

    for (const ref of [id.slice(0, 8), 'people/list']) {
      const shown = await cli(['runs', 'show', ref]);
      expect(shown.code, shown.stderr).toBe(EXIT.OK);
      expect(shown.stdout).toContain('pii: only 66.7% passed, needs 100.0%');
      expect(shown.stdout).not.toMatch(/\\[-.:()!]|\*\*|&#|\u200B|^\|/m);
      expect(shown.stdout).toMatch(/^Judge\s+Score/m);
    }
    const markdown = await cli(['runs', 'show', id, '--markdown']);
    expect(markdown.stdout).toContain('pii\\: only 66\\.7% passed');
    expect(markdown.stdout).toContain('| Judge | Score |');
    const unknown = await cli(['runs', 'show', 'no-such-branch']);
    expect(unknown.code).toBe(EXIT.USAGE);
  });

  it('compares two runs as a table per judge with counts and the most regressed samples', async () => {
    const baseline = await finishedRun('e'.repeat(40), 'people/base', passingSummary());
    const candidate = await finishedRun('e0'.repeat(20), 'people/cand', passingSummary());
    const comparison = {
      run_id: candidate,
      baseline_run_id: baseline,
      paired: true,
      correction: 'holm',
      alpha: 0.05,
      judges: [
        {
          judge_type: 'pii',
          verdict: 'no_change',
          reason: 'no significant change',
          test: 'mcnemar',
          design: 'paired',
          n: 3,
          current_mean: 1,
          baseline_mean: 1,
          delta: 0,
          p_value: 1,
          adjusted_p_value: 1,
          ci: null,
          mde: 0.5,
          minimum_effect: 0,
        },
        {
          judge_type: 'similarity',
          verdict: 'regression',
          reason: 'mean fell by 0.37',
          test: 'paired t',
          design: 'paired',
          n: 3,
          current_mean: 0.5,
          baseline_mean: 0.87,
          delta: -0.37,
          p_value: 0.01,
          adjusted_p_value: 0.02,
          ci: { lower: -0.5, upper: -0.2, level: 0.95 },
          mde: 0.1,
          minimum_effect: 0,
        },
      ],
    };
    await db.dataSource
      .getRepository(EvalRun)
      .update({ id: candidate }, { summary: { ...passingSummary(), regressions: comparison } as never });
    const samples = await db.dataSource
      .getRepository(EvalSample)
      .find({ where: { dataset_version_id: people.version.id }, order: { position: 'ASC' }, take: 3 });
    const scores: Record<string, [number, number]> = { s0: [0.9, 0.9], s1: [0.9, 0.2], s2: [0.8, 0.4] };
    for (const [runId, side] of [
      [baseline, 0],
      [candidate, 1],
    ] as const) {
      for (const sample of samples) {
        const result = await db.dataSource.getRepository(EvalResult).save({
          run_id: runId,
          sample_id: sample.id,
          sample_position: sample.position,
          repetition: 0,
          status: 'succeeded',
          llm_output: 'answer',
        });
        const score = scores[sample.sample_key][side];
        await db.dataSource.getRepository(JudgeScore).save([
          { result_id: result.id, run_id: runId, judge_type: 'similarity', score, passed: score >= 0.5 },
          { result_id: result.id, run_id: runId, judge_type: 'pii', score: 1, passed: true },
        ]);
      }
    }

    const res = await cli(['runs', 'compare', baseline.slice(0, 8), 'people/cand']);
    expect(res.code, res.stderr).toBe(EXIT.OK);
    expect(res.stdout).toMatch(
      /^JUDGE\s+BASELINE\s+CANDIDATE\s+Δ\s+p \(Holm\)\s+N\s+REGRESSED \/ IMPROVED\s+VERDICT$/m,
    );
    expect(res.stdout).toMatch(
      /^similarity\s+0\.870\s+0\.500\s+-0\.370\s+0\.020\s+3\s+2 \/ 0\s+REGRESSION$/m,
    );
    expect(res.stdout).toMatch(/^pii\s+1\.000\s+1\.000\s+0\.000\s+1\.000\s+3\s+0 \/ 0\s+no change$/m);
    expect(res.stdout).toContain('1 judge regressed, 0 improved');
    const worst = res.stdout.slice(res.stdout.indexOf('most regressed samples:'));
    expect(worst).toMatch(/^s1\s+similarity\s+0\.900\s+0\.200\s+Question 1/m);
    expect(worst.indexOf('s1 ')).toBeLessThan(worst.indexOf('s2 '));
    expect(worst).not.toMatch(/^s0\s/m);
    expect(res.stdout.split('\n').length).toBeLessThan(30);

    const json = await cli(['runs', 'compare', baseline, candidate, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      run_id: candidate,
      baseline_run_id: baseline,
      judges: [{ judge_type: 'pii' }, { judge_type: 'similarity', verdict: 'regression' }],
      samples: {
        total: 3,
        items: [{ sample_key: 's1', changed: true }, { sample_key: 's2' }, { sample_key: 's0' }],
      },
    });

    // A dataset by name within its project takes an upload too.
    const upload = await cli([
      'datasets',
      'upload',
      'x.csv',
      '--project',
      'people-cli',
      '--dataset',
      'golden qa',
      '--json',
    ]);
    expect(upload.code, upload.stderr).toBe(EXIT.OK);
    expect(JSON.parse(upload.stdout)).toMatchObject({
      dataset_id: people.dataset.id,
      version: { version: 2 },
    });
  });
});

describe('the composite GitHub Action', () => {
  const ACTION_DIR = path.join(PROJECT_ROOT, '.github/actions/evalforge');

  it('runs the bundled CLI with plain node, sets outputs and fails the step on a failed gate', async () => {
    const action = parseYaml(fs.readFileSync(path.join(ACTION_DIR, 'action.yml'), 'utf8'));
    const step = action.runs.steps.find((s: { id?: string }) => s.id === 'run');
    // The step's env with ${{ inputs.x }} filled in, as the runner would.
    const inputs: Record<string, string> = {
      url,
      'api-key': '',
      project: fx.project.id,
      dataset: fx.dataset.id,
      endpoint: fx.endpoint.id,
      'fail-on': 'guardrail',
      timeout: '60',
      args: '--poll-interval 0.2',
    };
    const stepEnv = Object.fromEntries(
      Object.entries(step.env as Record<string, string>).map(([k, v]) => [
        k,
        v.replace(/\$\{\{ inputs\.([\w-]+) \}\}/, (_, name: string) => inputs[name] ?? ''),
      ]),
    );
    // Nothing installed: setup-node's node on PATH, and the action's checkout.
    const runnerTemp = fs.mkdtempSync(path.join(tmp, 'runner-'));
    const headSha = '8'.repeat(40);
    const { env } = actionsEnv({ headSha, prNumber: 44, runId: '1003' });
    const outputFile = path.join(runnerTemp, 'output');
    fs.writeFileSync(outputFile, '');

    const result = new Promise<CliResult>((resolve) => {
      const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', step.run], {
        cwd: tmp,
        env: {
          PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
          HOME: tmp,
          ...env,
          ...stepEnv,
          GITHUB_ACTION_PATH: ACTION_DIR,
          RUNNER_TEMP: runnerTemp,
          GITHUB_OUTPUT: outputFile,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const [res, run] = await Promise.all([
      result,
      finishWhenStarted(headSha, 'completed', blockingFailureSummary()),
    ]);
    expect(res.code, res.stderr).toBe(EXIT.GATE_FAILED);
    // The action prints the --json result's markdown itself (action.yml), not the CLI's plain text.
    expect(res.stdout).toContain('| Judge | Score |');
    expect(res.stdout).toContain('::error title=EvalForge::blocking guardrail failed: pii');
    expect(fs.readFileSync(outputFile, 'utf8')).toBe(`run-id=${run.id}\npassed=false\nexit-code=1\n`);
  });
});
