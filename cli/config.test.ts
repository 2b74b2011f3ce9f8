/**
 * The CLI on a repository's evalforge.yaml, as CI runs it: `evalforge validate` (no server), `evalforge run -c`
 * against a real API server (real database and Temporal; POST /api/eval/config-runs), `evalforge comment`
 * against a local server speaking GitHub's REST protocol, and the composite Action's steps run by bash with
 * the bundled CLI on plain node. No worker runs: a test finishes a run by writing its row, as the workflow's
 * last steps would (cli/cancel-on-timeout.test.ts runs a worker).
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
import { parseEvalConfig } from '../core/eval-config.js';
import { EvalDataset, EvalRun } from '../db/entities/index.js';
import { type FakeGitHub, startFakeGitHub } from '../github-app/test-support/fake-github.js';
import { blockingFailureSummary, passingSummary } from '../github-app/test-support/summaries.js';
import { createLogger } from '../lib/logger.js';
import { PROJECT_ROOT } from '../runtime/child-process.js';
import { evalRunWorkflowId } from '../temporal.config.js';
import { createProjectFixture, type ProjectFixture } from '../test/fixtures/projects.js';
import { type CliResult, runCli } from '../test/helpers/cli.js';
import { runCliBundle, startNodeScript } from '../test/helpers/cli-bundle.js';
import {
  createTestDatabase,
  createTestTemporal,
  freePort,
  type TestDatabase,
  type TestTemporal,
} from '../test/helpers/index.js';
import { ACTION_COMMENT_MARKER } from './commands/comment.js';
import { EXIT } from './exit-codes.js';

let db: TestDatabase;
let temporal: TestTemporal;
let server: ReturnType<typeof serve>;
let url: string;
let fx: ProjectFixture;
let tmp: string;
let github: FakeGitHub;

const CONFIG = `# the support bot's eval
description: shorter answers
prompts:
  system: You are the support assistant of Acme.
  user: "Customer ({{metadata.tier}}): {{input}}"
endpoint: fixture endpoint
dataset:
  path: evals/support.jsonl
guardrails:
  - judge: pii
    threshold: 0.5
`;
const DATASET = [
  { input_text: 'Where is my order?', metadata: { tier: 'gold' } },
  { input_text: 'Can I get a refund?', metadata: { tier: 'basic' } },
  { input_text: 'Est-ce que vous livrez en Suisse ? ✈️', metadata: { tier: 'gold' } },
]
  .map((r) => JSON.stringify(r))
  .join('\n')
  .concat('\n');

beforeAll(async () => {
  [db, temporal, github] = await Promise.all([createTestDatabase(), createTestTemporal(), startFakeGitHub()]);
  const app = createApp({
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('test-cli-config-api', 'silent'),
    mode: 'dev',
    temporalUiUrl: null,
  });
  const port = await freePort();
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  url = `http://127.0.0.1:${port}`;
  fx = await createProjectFixture(db.dataSource, { samples: 3 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-cli-config-'));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await github?.close();
  await temporal?.close();
  await db?.drop();
});

/** A checkout: files by repository-relative path. */
function makeRepo(name: string, files: Record<string, string>) {
  const root = path.join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** The CLI from its sources (cli/bin.mjs) with a clean environment. */
const cli = (args: string[], env: Record<string, string> = {}, cwd = tmp) =>
  runCli(args, { cwd, env: { HOME: tmp, EVALFORGE_URL: url, ...env } });

/** GitHub Actions' environment for a pull_request job (GITHUB_SHA is the merge commit there). */
function actionsEnv(opts: { headSha: string; prNumber: number; runId: string; workspace?: string }) {
  const dir = fs.mkdtempSync(path.join(tmp, `job-${opts.runId}-`));
  const eventPath = path.join(dir, 'event.json');
  fs.writeFileSync(
    eventPath,
    JSON.stringify({ pull_request: { number: opts.prNumber, head: { sha: opts.headSha } } }),
  );
  const outputPath = path.join(dir, 'output');
  const summaryPath = path.join(dir, 'summary.md');
  fs.writeFileSync(outputPath, '');
  return {
    env: {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_HEAD_REF: 'feature/shorter-answers',
      GITHUB_BASE_REF: 'main',
      GITHUB_REF_NAME: `${opts.prNumber}/merge`,
      GITHUB_REPOSITORY: 'acme/support-bot',
      GITHUB_RUN_ID: opts.runId,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'eval',
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      RUNNER_TEMP: dir,
      ...(opts.workspace ? { GITHUB_WORKSPACE: opts.workspace } : {}),
    },
    outputPath,
    summaryPath,
  };
}

interface Recorded {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: Record<string, unknown> | null;
}

/** A transparent proxy to the API that records every request (what the CLI sent, byte for byte). */
async function startRecordingProxy(target: string) {
  const requests: Recorded[] = [];
  const proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const h of ['accept', 'authorization', 'content-type', 'idempotency-key']) {
      if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    }
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      idempotencyKey: headers['idempotency-key'],
      body: raw.length ? JSON.parse(raw.toString('utf8')) : null,
    });
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: raw.length ? raw : undefined,
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    res.end(await upstream.text());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    requests,
    starts: () => requests.filter((r) => r.method === 'POST' && r.path === '/api/eval/config-runs'),
    close: () => new Promise((r) => proxy.close(r)),
  };
}

const runs = () => db.dataSource.getRepository(EvalRun);

async function finishRun(id: string, status: EvalRun['status'], summary: object) {
  await runs().update({ id }, { status, summary: summary as never, completed_at: new Date() });
}

async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('evalforge validate', () => {
  // No server: a closed port proves validate never calls one.
  let offline: Record<string, string>;
  beforeAll(async () => {
    offline = { EVALFORGE_URL: `http://127.0.0.1:${await freePort()}` };
  });

  it('accepts a valid file and its dataset file (default path evalforge.yaml)', async () => {
    const repo = makeRepo('valid', { 'evalforge.yaml': CONFIG, 'evals/support.jsonl': DATASET });
    const res = await cli(['validate'], offline, repo);
    expect(res.code, res.stderr).toBe(EXIT.OK);
    expect(res.stdout).toBe(
      `evalforge.yaml: valid (dataset evals/support.jsonl, ${Buffer.byteLength(DATASET)} bytes)\n`,
    );
    const json = await cli(['validate', '-c', path.join(repo, 'evalforge.yaml'), '--json'], offline);
    expect(JSON.parse(json.stdout)).toEqual({
      file: path.join(repo, 'evalforge.yaml'),
      valid: true,
      issues: [],
    });
  });

  it('prints every problem as <file>: <path>: <message>, the dataset file included, and exits 2', async () => {
    const repo = makeRepo('invalid', {
      'bad.yaml': [
        'prompts:',
        '  user: "Answer {{inptu}}"',
        'endpoint: { provider: openai, model: gpt-4o-mini, url: "ftp://example.com" }',
        'dataset: { path: evals/missing.csv }',
        'repetitions: 99',
        '',
      ].join('\n'),
    });
    const res = await cli(['validate', '--config', 'bad.yaml'], offline, repo);
    expect(res.code).toBe(EXIT.USAGE);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toContain(
      'bad.yaml: prompts.user: unknown variable {{inptu}}: use {{input}}, {{expected}} or {{metadata.<key>}}',
    );
    expect(lines).toContain('bad.yaml: repetitions: Too big: expected number to be <=10');
    expect(lines.some((l) => l.startsWith('bad.yaml: endpoint'))).toBe(true);
    expect(lines).toContain(`bad.yaml: dataset.path: evals/missing.csv: no such file (in ${repo})`);
    expect(res.stderr).toContain(`evalforge: bad.yaml is not valid: ${lines.length} problems`);

    const json = await cli(['validate', '-c', 'bad.yaml', '--json'], offline, repo);
    expect(json.code).toBe(EXIT.USAGE);
    const out = JSON.parse(json.stdout);
    expect(out.valid).toBe(false);
    expect(out.issues).toContainEqual({
      path: 'repetitions',
      message: 'Too big: expected number to be <=10',
    });
    expect(out.issues).toHaveLength(lines.length);
  });

  it('refuses a dataset file over the limit, a link out of the repository, YAML errors and a missing file', async () => {
    const repo = makeRepo('limits', {
      'big.yaml': 'endpoint: prod\ndataset: { path: big.csv }\n',
      'inner/link.yaml': 'endpoint: prod\ndataset: { path: secrets.csv }\n',
      'broken.yaml': 'endpoint: [prod\n',
      'outside/secrets.csv': "input_text\nthe runner's secret\n",
    });
    // A sparse file just over the 10 MiB limit.
    fs.writeFileSync(path.join(repo, 'big.csv'), '');
    fs.truncateSync(path.join(repo, 'big.csv'), 10 * 1024 * 1024 + 1);
    // inner/ is the root (the config's directory); its secrets.csv leads out of it.
    fs.symlinkSync(path.join(repo, 'outside/secrets.csv'), path.join(repo, 'inner/secrets.csv'));

    const big = await cli(['validate', '-c', 'big.yaml'], offline, repo);
    expect(big.code).toBe(EXIT.USAGE);
    expect(big.stdout).toMatch(
      /^big\.yaml: dataset\.path: big\.csv has 10485761 bytes, more than the limit of 10485760$/m,
    );

    const link = await cli(['validate', '-c', 'inner/link.yaml'], offline, repo);
    expect(link.code).toBe(EXIT.USAGE);
    expect(link.stdout).toBe(
      `inner/link.yaml: dataset.path: secrets.csv (in ${path.join(repo, 'inner')}) leads outside the repository root (a symbolic link?)\n`,
    );
    // With the repository as the root, the same file is inside it.
    const inside = await cli(['validate', '-c', 'inner/link.yaml', '--root', repo], offline, repo);
    expect(inside.stdout).toContain('dataset.path: secrets.csv: no such file');

    const broken = await cli(['validate', '-c', 'broken.yaml'], offline, repo);
    expect(broken.code).toBe(EXIT.USAGE);
    expect(broken.stdout).toMatch(/^broken\.yaml: not valid YAML: /);

    const missing = await cli(['validate', '-c', 'nope.yaml'], offline, repo);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toContain('cannot read nope.yaml: no such file');
  });
});

describe('evalforge run -c', () => {
  it('sends the validated config, the dataset file and the git context; a retried step finds its run', async () => {
    const repo = makeRepo('send', { 'evalforge.yaml': CONFIG, 'evals/support.jsonl': DATASET });
    const headSha = 'c'.repeat(40);
    const { env, outputPath } = actionsEnv({ headSha, prNumber: 51, runId: '2001' });
    const proxy = await startRecordingProxy(url);
    try {
      const args = ['run', '--project', fx.project.id, '-c', 'evalforge.yaml', '--json'];
      const res = await cli(args, { ...env, EVALFORGE_URL: proxy.url }, repo);
      expect(res.code, res.stderr).toBe(EXIT.OK);
      const [start] = proxy.starts();
      expect(start.body).toEqual({
        project_id: fx.project.id,
        config: (parseEvalConfig(CONFIG) as { config: unknown }).config,
        config_path: 'evalforge.yaml',
        files: { 'evals/support.jsonl': DATASET },
        trigger_type: 'ci',
        git_commit_sha: headSha,
        git_branch: 'feature/shorter-answers',
        git_base_branch: 'main',
        pr_number: 51,
      });
      expect(start.idempotencyKey).toMatch(/^gha:acme\/support-bot:2001:1:eval:/);

      const out = JSON.parse(res.stdout);
      expect(out.config_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(fs.readFileSync(outputPath, 'utf8')).toBe(`run-id=${out.id}\n`);
      const run = await runs().findOneByOrFail({ id: out.id });
      expect(run).toMatchObject({
        trigger_type: 'ci',
        git_commit_sha: headSha,
        git_branch: 'feature/shorter-answers',
        git_base_branch: 'main',
        pr_number: 51,
        config_sha256: out.config_sha256,
      });
      expect(run.config).toMatchObject({ config_path: 'evalforge.yaml' });
      // The dataset is the file's content, stored under its path.
      const dataset = await db.dataSource.getRepository(EvalDataset).findOneByOrFail({ id: run.dataset_id });
      expect(dataset.name).toBe('evals/support.jsonl');
      const samples: { input_text: string }[] = await db.dataSource.query(
        'SELECT input_text FROM eval_samples WHERE dataset_version_id = $1 ORDER BY position',
        [run.dataset_version_id],
      );
      expect(samples.map((s) => s.input_text)).toEqual(
        DATASET.trim()
          .split('\n')
          .map((l) => JSON.parse(l).input_text),
      );

      const retried = await cli(args, { ...env, EVALFORGE_URL: proxy.url }, repo);
      expect(retried.code, retried.stderr).toBe(EXIT.OK);
      expect(JSON.parse(retried.stdout).id).toBe(out.id);
      expect(proxy.starts()[1].idempotencyKey).toBe(start.idempotencyKey);
    } finally {
      await proxy.close();
    }
  });

  it('sends nothing for an invalid file, and reports what the server refuses', async () => {
    const repo = makeRepo('refused', {
      'evalforge.yaml': CONFIG.replace('{{input}}', '{{inptu}}'),
      'unknown.yaml': 'endpoint: no such endpoint\ndataset: { name: fixture dataset }\n',
    });
    const proxy = await startRecordingProxy(url);
    try {
      const env = { EVALFORGE_URL: proxy.url };
      const invalid = await cli(['run', '--project', fx.project.id, '-c', 'evalforge.yaml'], env, repo);
      expect(invalid.code).toBe(EXIT.USAGE);
      expect(invalid.stderr).toContain('evalforge.yaml: prompts.user: unknown variable {{inptu}}');
      expect(invalid.stderr).toContain('evalforge.yaml: dataset.path: evals/support.jsonl: no such file');
      expect(invalid.stderr).toContain('no run was started');
      expect(proxy.requests).toEqual([]);

      const withIds = await cli(
        ['run', '--project', fx.project.id, '-c', 'unknown.yaml', '--dataset', fx.dataset.id],
        env,
        repo,
      );
      expect(withIds.code).toBe(EXIT.USAGE);
      expect(withIds.stderr).toContain('--dataset does not go with -c');

      const unknown = await cli(['run', '--project', fx.project.id, '-c', 'unknown.yaml'], env, repo);
      expect(unknown.code).toBe(EXIT.API_ERROR);
      expect(unknown.stderr).toMatch(
        /422 unknown_endpoint the project has no endpoint named "no such endpoint"/,
      );
      expect(proxy.starts()).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('writes run-id to $GITHUB_OUTPUT as soon as the run starts, before the wait ends', async () => {
    const repo = makeRepo('early-output', { 'evalforge.yaml': CONFIG, 'evals/support.jsonl': DATASET });
    const { env, outputPath, summaryPath } = actionsEnv({
      headSha: 'd'.repeat(40),
      prNumber: 52,
      runId: '2002',
    });
    const running = startNodeScript(
      path.join(PROJECT_ROOT, 'cli/bin.mjs'),
      ['run', '--project', fx.project.id, '-c', 'evalforge.yaml', '--wait', '--fail-on', 'none', '--json'],
      { cwd: repo, env: { HOME: tmp, EVALFORGE_URL: url, ...env } },
    );
    try {
      const runId = await until(
        () => /^run-id=(\S+)$/m.exec(fs.readFileSync(outputPath, 'utf8'))?.[1],
        'run-id in GITHUB_OUTPUT',
      );
      // The CLI is still waiting on a run that has not finished.
      expect(running.exited()).toBe(false);
      expect((await runs().findOneByOrFail({ id: runId })).status).toBe('pending');
      await finishRun(runId, 'completed', passingSummary());
      const res = await running.result;
      expect(res.code, res.stderr).toBe(EXIT.OK);
      expect(JSON.parse(res.stdout)).toMatchObject({ run: { id: runId, status: 'completed' }, passed: true });
      expect(fs.readFileSync(outputPath, 'utf8')).toBe(`run-id=${runId}\n`);
      expect(fs.readFileSync(summaryPath, 'utf8')).toContain('| Judge | Score |');
    } finally {
      running.child.kill();
    }
  });

  it('runs from the bundle with plain node (no tsx, no node_modules)', async () => {
    const repo = makeRepo('bundle', { 'evalforge.yaml': CONFIG, 'evals/support.jsonl': DATASET });
    const res = await runCliBundle(['run', '--project', fx.project.id, '-c', 'evalforge.yaml', '--json'], {
      cwd: repo,
      env: { HOME: tmp, EVALFORGE_URL: url, NODE_PATH: '/nonexistent' },
    });
    expect(res.code, res.stderr).toBe(EXIT.OK);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ status: 'pending', trigger_type: 'manual' });
    expect(out.config_sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('evalforge comment', () => {
  /** A finished run of the config. */
  async function finishedRun(name: string, summary: object) {
    const repo = makeRepo(name, { 'evalforge.yaml': CONFIG, 'evals/support.jsonl': DATASET });
    const res = await cli(['run', '--project', fx.project.id, '-c', 'evalforge.yaml', '--json'], {}, repo);
    expect(res.code, res.stderr).toBe(EXIT.OK);
    const { id } = JSON.parse(res.stdout);
    await finishRun(id, 'completed', summary);
    return id as string;
  }

  it('creates one comment with the report, then edits that same comment, never a second one', async () => {
    const token = github.issueToken();
    const person = github.addComment('acme/support-bot', 7, 'Looks good to me');
    const runId = await finishedRun('comment', passingSummary());
    const env = { GITHUB_TOKEN: token, GITHUB_API_URL: github.url };
    const args = ['comment', '--repo', 'acme/support-bot', '--pr', '7', '--run', runId];

    const first = await cli(args, env);
    expect(first.code, first.stderr).toBe(EXIT.OK);
    const ours = () =>
      [...github.comments.values()].filter(
        (c) => c.issue === 'acme/support-bot#7' && c.body.includes('evalforge:'),
      );
    expect(ours()).toHaveLength(1);
    const [comment] = ours();
    expect(comment.body.startsWith(`${ACTION_COMMENT_MARKER}\n`)).toBe(true);
    expect(comment.body).toContain('| Judge | Score |');
    expect(first.stdout).toContain(`comment ${comment.id} created on acme/support-bot#7`);
    const firstBody = comment.body;

    // The run's result changes (as a re-run's would): the same comment is edited.
    await finishRun(runId, 'completed', blockingFailureSummary());
    const second = await cli([...args, '--json'], env);
    expect(second.code, second.stderr).toBe(EXIT.OK);
    expect(JSON.parse(second.stdout)).toMatchObject({ action: 'updated', id: comment.id, run_id: runId });
    expect(ours()).toHaveLength(1);
    expect(ours()[0].id).toBe(comment.id);
    expect(ours()[0].body).not.toBe(firstBody);
    expect(ours()[0].body.startsWith(ACTION_COMMENT_MARKER)).toBe(true);

    expect(github.callsTo('POST', /^\/repos\/acme\/support-bot\/issues\/7\/comments$/)).toHaveLength(1);
    expect(github.callsTo('PATCH', /^\/repos\/acme\/support-bot\/issues\/comments\/\d+$/)).toHaveLength(1);
    expect(github.comments.get(person.id)?.body).toBe('Looks good to me');
    for (const call of github.calls.filter((c) => c.path.startsWith('/repos/acme/support-bot/')))
      expect(call.authorization).toBe(`Bearer ${token}`);
  });

  it('refuses without a token, on a bad token, and never follows GitHub links to another host', async () => {
    const runId = await finishedRun('comment-errors', passingSummary());
    const args = ['comment', '--repo', 'acme/support-bot', '--pr', '8', '--run', runId];
    const noToken = await cli(args, { GITHUB_API_URL: github.url });
    expect(noToken.code).toBe(EXIT.USAGE);
    expect(noToken.stderr).toContain('GITHUB_TOKEN is not set');

    const badToken = await cli(args, { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghs_not_issued' });
    expect(badToken.code).toBe(EXIT.API_ERROR);
    expect(badToken.stderr).toContain('401 Bad credentials');

    // An API whose pagination points elsewhere: the token must not follow it.
    const elsewhere: string[] = [];
    const other = http.createServer((req, res) => {
      elsewhere.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const api = http.createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        link: `<${otherUrl}/repos/acme/support-bot/issues/8/comments?page=2>; rel="next"`,
      });
      res.end('[]');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    try {
      const res = await cli(args, {
        GITHUB_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
        GITHUB_TOKEN: 'ghs_secret',
      });
      expect(res.code).toBe(EXIT.API_ERROR);
      expect(res.stderr).toContain('outside GITHUB_API_URL');
      expect(elsewhere).toEqual([]);
    } finally {
      other.close();
      api.close();
    }
  });
});

describe('the composite GitHub Action with an evalforge.yaml', () => {
  const ACTION_DIR = path.join(PROJECT_ROOT, '.github/actions/evalforge');
  const action = parseYaml(fs.readFileSync(path.join(ACTION_DIR, 'action.yml'), 'utf8'));
  const step = (id: string) => action.runs.steps.find((s: { id?: string }) => s.id === id);

  /** A step's env with ${{ … }} filled in as the runner would, from the inputs (defaults first) and `more`. */
  function stepEnv(id: string, inputs: Record<string, string>, more: Record<string, string> = {}) {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs as Record<string, { default?: string }>).map(([k, v]) => [
        k,
        v.default ?? '',
      ]),
    );
    const values: Record<string, string> = { ...defaults, ...inputs };
    return Object.fromEntries(
      Object.entries(step(id).env as Record<string, string>).map(([k, v]) => [
        k,
        v.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) =>
          expr.startsWith('inputs.') ? (values[expr.slice(7)] ?? '') : (more[expr] ?? ''),
        ),
      ]),
    );
  }

  function runStep(id: string, env: Record<string, string>, cwd: string) {
    return new Promise<CliResult>((resolve) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step(id).run], {
        cwd,
        // Node as setup-node leaves it: on PATH, with nothing installed.
        env: {
          PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
          HOME: tmp,
          ...env,
          GITHUB_ACTION_PATH: ACTION_DIR,
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
  }

  it('runs the config, sets run-id at once, cancels the run when the wait times out, then comments', async () => {
    // The config in a subdirectory; its dataset path is relative to the repository root (the workspace).
    const workspace = makeRepo('action', {
      'evals/evalforge.yaml': CONFIG,
      'evals/support.jsonl': DATASET,
    });
    const headSha = 'e'.repeat(40);
    const { env, outputPath } = actionsEnv({ headSha, prNumber: 9, runId: '2003', workspace });
    const res = await runStep(
      'run',
      {
        ...env,
        ...stepEnv('run', {
          url,
          project: fx.project.id,
          config: 'evals/evalforge.yaml',
          timeout: '1',
          args: '--poll-interval 0.2',
        }),
      },
      workspace,
    );
    expect(res.code, res.stderr).toBe(EXIT.TIMEOUT);
    const output = fs.readFileSync(outputPath, 'utf8');
    const runId = /^run-id=(\S+)$/m.exec(output)?.[1] as string;
    expect(output).toBe(`run-id=${runId}\npassed=false\nexit-code=${EXIT.TIMEOUT}\n`);
    expect(res.stdout).toMatch(/::error title=EvalForge::run \S+ has not finished after 1 s; cancelled it/);
    const run = await runs().findOneByOrFail({ id: runId });
    expect(run).toMatchObject({ git_commit_sha: headSha, pr_number: 9 });
    expect(run.config).toMatchObject({ config_path: 'evals/evalforge.yaml' });
    // The server was asked to cancel: its workflow received the cancel signal.
    const history = await temporal.client.workflow
      .getHandle(run.workflow_id ?? evalRunWorkflowId(run.id))
      .fetchHistory();
    const signals = (history.events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName);
    expect(signals).toContain('cancel');

    // The comment step, with the run step's output.
    const token = github.issueToken();
    const commented = await runStep(
      'comment',
      {
        ...env,
        ...stepEnv(
          'comment',
          { url, 'github-token': token, comment: 'true' },
          { 'steps.run.outputs.run-id': runId, 'github.event.pull_request.number': '9' },
        ),
        GITHUB_API_URL: github.url,
      },
      workspace,
    );
    expect(commented.code, commented.stderr).toBe(0);
    expect(commented.stdout).not.toContain('::warning');
    const comments = [...github.comments.values()].filter((c) => c.issue === 'acme/support-bot#9');
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith(ACTION_COMMENT_MARKER)).toBe(true);
  });
});
