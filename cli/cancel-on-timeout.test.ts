/**
 * `evalforge run -c … --wait --timeout` on a real run: a real API server, a worker executing the workflow,
 * and a local LLM server slower than the wait. When the wait times out the CLI cancels its run, and the run
 * ends cancelled on the server; with --no-cancel-on-timeout it goes on to the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import { EvalRun, Project } from '../db/entities/index.js';
import { runCli } from '../test/helpers/cli.js';
import { freePort, useRunHarness } from '../test/helpers/index.js';
import { EXIT } from './exit-codes.js';

const harness = useRunHarness({ seed: 17 });
let server: ReturnType<typeof serve>;
let url: string;
let projectId: string;
let tmp: string;

beforeAll(async () => {
  const port = await freePort();
  server = serve({ fetch: createApp(harness.apiDeps()).fetch, port, hostname: '127.0.0.1' });
  url = `http://127.0.0.1:${port}`;
  projectId = (
    await harness.db.dataSource.getRepository(Project).save({ name: 'cli timeouts', description: null })
  ).id;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-cli-timeout-'));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** A checkout with an evalforge.yaml whose inline endpoint is the local LLM server's `model`. */
function repoFor(model: string, samples: number) {
  const root = fs.mkdtempSync(path.join(tmp, `${model}-`));
  fs.writeFileSync(
    path.join(root, 'evalforge.yaml'),
    [
      'prompts:',
      '  user: "Answer briefly: {{input}}"',
      'endpoint:',
      '  provider: openai',
      `  model: ${model}`,
      `  url: ${harness.llm.openaiBaseUrl}`,
      'dataset:',
      '  path: samples.csv',
      'cache: false',
      '',
    ].join('\n'),
  );
  const rows = Array.from({ length: samples }, (_, i) => `What is ${i} + ${i}?,${i + i}`);
  fs.writeFileSync(path.join(root, 'samples.csv'), `input_text,reference_output\n${rows.join('\n')}\n`);
  return root;
}

const cli = (args: string[], cwd: string) =>
  runCli(
    ['run', '--project', projectId, '-c', 'evalforge.yaml', '--wait', '--poll-interval', '0.2', ...args],
    {
      cwd,
      env: { HOME: tmp, EVALFORGE_URL: url },
    },
  );

const runId = (stderr: string) => /run ([0-9a-f-]{36}) started/.exec(stderr)?.[1] as string;

async function statusWhen(id: string, done: (status: string) => boolean, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id });
    if (done(status) || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('evalforge run --wait --timeout', () => {
  it('cancels its run when the wait times out: the run ends cancelled', async () => {
    harness.llm.setModelBehaviour('model-slow-cli', { latency: { baseMs: 1_000 } });
    const res = await cli(['--timeout', '2'], repoFor('model-slow-cli', 60));
    expect(res.code, res.stderr).toBe(EXIT.TIMEOUT);
    const id = runId(res.stderr);
    expect(res.stderr).toContain(`run ${id} has not finished after 2 s; cancelled it`);
    expect(await statusWhen(id, (s) => s === 'cancelled')).toBe('cancelled');
    const run = await harness.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id });
    expect(run.cancelled_at).not.toBeNull();
  });

  it('with --no-cancel-on-timeout the run goes on to the end', async () => {
    harness.llm.setModelBehaviour('model-steady-cli', { latency: { baseMs: 300 } });
    const res = await cli(['--timeout', '1', '--no-cancel-on-timeout'], repoFor('model-steady-cli', 40));
    expect(res.code, res.stderr).toBe(EXIT.TIMEOUT);
    const id = runId(res.stderr);
    expect(res.stderr).toContain('it goes on on the server (--no-cancel-on-timeout)');
    expect(await statusWhen(id, (s) => s !== 'pending' && s !== 'running')).toBe('completed');
  });
});
