import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun } from '../../db/entities/index.js';
import { type ChatCaller, createOpenAIChatCaller } from '../../judges/llm/chat-caller.js';
import { requireModels, TEST_MODELS } from '../../judges/testing/test-models.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { createProjectFixture, type ProjectFixture } from '../../test/fixtures/projects.js';
import { createRunRow, insertResults } from '../../test/fixtures/runs.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/index.js';
import { type JudgeBatchDeps, makeRunJudgeBatch } from './run-judge-batch.js';

const SAMPLES = 6;
const SSN_POSITION = 2;
const FAILED_POSITION = 5;

let db: TestDatabase;
let fx: ProjectFixture;
let llm: FakeLlmServer;
const logLines: string[] = [];

const outputs: Record<number, string> = {
  0: '0',
  1: 'The answer is 2.',
  [SSN_POSITION]: 'Sure, the SSN on file is 123-45-6789.',
  3: '6',
  4: '{"answer": 8}',
};

beforeAll(async () => {
  requireModels(TEST_MODELS.ner, TEST_MODELS.embedding);
  db = await createTestDatabase();
  llm = await startFakeLlmServer({
    respond: () => ({ content: '{"criteria": {"quality": 4}}', usage: { inputTokens: 50, outputTokens: 7 } }),
  });
  fx = await createProjectFixture(db.dataSource, {
    samples: SAMPLES,
    guardrails: [
      { judge_type: 'pii', threshold: 1, is_blocking: true, config: { model: TEST_MODELS.ner } },
      {
        judge_type: 'similarity',
        threshold: 0.2,
        config: { model: TEST_MODELS.embedding, queue: 'judges.gpu' },
      },
      { judge_type: 'assertions', threshold: 1 },
      { judge_type: 'format', threshold: 1, config: { json: true } },
      { judge_type: 'zero_shot', threshold: 0.5, config: { model: TEST_MODELS.nli } }, // no labels: invalid
      { judge_type: 'toxicity', threshold: 0.5, config: { model: 'nobody/not-downloaded' } },
      { judge_type: 'llm_judge', threshold: 0.5 },
    ],
  });
});

afterAll(async () => {
  await llm?.close();
  await db?.drop();
});

function deps(extra: Partial<JudgeBatchDeps> = {}): JudgeBatchDeps {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  return { dataSource: db.dataSource, logger, judgeDeps: { cudaAvailable: () => false }, ...extra };
}

async function newRun(): Promise<{ run: EvalRun; resultIds: string[] }> {
  const run = await createRunRow(db.dataSource, fx);
  await insertResults(db.dataSource, run, [...Array(SAMPLES).keys()], (p) =>
    p === FAILED_POSITION
      ? { llm_output: '', status: 'failed', error: 'HTTP 500' }
      : { llm_output: outputs[p] },
  );
  const rows: { id: string }[] = await db.dataSource.query('SELECT id FROM eval_results WHERE run_id = $1', [
    run.id,
  ]);
  return { run, resultIds: rows.map((r) => r.id) };
}

interface ScoreRow {
  position: number;
  score: number | null;
  passed: boolean;
  error: string | null;
  details: Record<string, unknown>;
  model_id: string | null;
  model_revision: string | null;
  dtype: string | null;
  token_count_input: number | null;
  created_at: Date;
}

async function scores(runId: string, judgeType: string): Promise<ScoreRow[]> {
  return db.dataSource.query(
    `SELECT s.position, j.score, j.passed, j.error, j.details, j.model_id, j.model_revision, j.dtype,
            j.token_count_input, j.created_at
       FROM judge_scores j JOIN eval_results r ON r.id = j.result_id JOIN eval_samples s ON s.id = r.sample_id
      WHERE j.run_id = $1 AND j.judge_type = $2 ORDER BY s.position`,
    [runId, judgeType],
  );
}

describe('runJudgeBatch', () => {
  it('scores succeeded results, skips failed ones, and records model, revision and dtype', async () => {
    const { run, resultIds } = await newRun();
    const runJudgeBatch = makeRunJudgeBatch(deps());
    expect(await runJudgeBatch({ runId: run.id, judgeType: 'pii', resultIds })).toEqual({
      scored: 5,
      errored: 0,
    });
    const pii = await scores(run.id, 'pii');
    expect(pii.map((s) => s.position)).toEqual([0, 1, 2, 3, 4]); // the failed result has no output to judge
    expect(pii.find((s) => s.position === SSN_POSITION)).toMatchObject({
      score: 0,
      passed: false,
      error: null,
    });
    expect(pii.find((s) => s.position === SSN_POSITION)?.details).toMatchObject({
      types: ['ssn'],
      threshold: 1,
      blocking: true,
    });
    expect(pii.filter((s) => s.passed).map((s) => s.position)).toEqual([0, 1, 3, 4]);
    expect(pii[0]).toMatchObject({
      model_id: TEST_MODELS.ner,
      dtype: 'fp32',
      model_revision: expect.stringMatching(/^sha256:/),
    });

    expect(await runJudgeBatch({ runId: run.id, judgeType: 'assertions', resultIds })).toEqual({
      scored: 5,
      errored: 0,
    });
    const equals = await scores(run.id, 'assertions'); // reference is 2*position: "0", "2", "4", "6", "8"
    expect(equals.filter((s) => s.passed).map((s) => s.position)).toEqual([0, 3]);
    expect(equals[0]).toMatchObject({ model_id: null, dtype: null });
  });

  it("records the threshold that decided every score: the guardrail's, else the judge's default", async () => {
    const { run, resultIds } = await newRun();
    const runJudgeBatch = makeRunJudgeBatch(deps());
    // A guardrail's threshold (format: 1, similarity: 0.2).
    await runJudgeBatch({ runId: run.id, judgeType: 'format', resultIds });
    await runJudgeBatch({ runId: run.id, judgeType: 'similarity', resultIds });
    // No guardrail for these names: the judge's own default decides, and is recorded.
    expect(await runJudgeBatch({ runId: run.id, judgeType: 'assertions:defaults', resultIds })).toEqual({
      scored: 5,
      errored: 0,
    });
    await runJudgeBatch({ runId: run.id, judgeType: 'pii:defaults', resultIds });
    await runJudgeBatch({ runId: run.id, judgeType: 'format:unconfigured', resultIds }); // no check: config error
    const decided = async (judgeType: string) =>
      (await scores(run.id, judgeType)).map((s) => [s.details.threshold, s.details.blocking]);
    expect(await decided('format')).toEqual(Array(5).fill([1, false]));
    expect(await decided('similarity')).toEqual(Array(5).fill([0.2, false]));
    expect(await decided('assertions:defaults')).toEqual(Array(5).fill([1, false]));
    expect(await decided('pii:defaults')).toEqual(Array(5).fill([1, false]));
    expect(await decided('format:unconfigured')).toEqual(Array(5).fill([1, false]));
    // Pass/fail agrees with the recorded threshold wherever there is a score.
    for (const judgeType of ['format', 'similarity', 'assertions:defaults', 'pii:defaults']) {
      for (const s of await scores(run.id, judgeType)) {
        expect(s.passed, `${judgeType} ${s.position}`).toBe(
          (s.score as number) >= (s.details.threshold as number),
        );
      }
    }
    const [{ count }]: { count: string }[] = await db.dataSource.query(
      `SELECT count(*) FROM judge_scores WHERE run_id = $1 AND NOT (details ? 'threshold' AND details->'threshold' <> 'null')`,
      [run.id],
    );
    expect(Number(count)).toBe(0);
  });

  it('is idempotent: a rerun writes nothing and keeps the first scores', async () => {
    const { run, resultIds } = await newRun();
    const runJudgeBatch = makeRunJudgeBatch(deps());
    await runJudgeBatch({ runId: run.id, judgeType: 'format', resultIds });
    const first = await scores(run.id, 'format');
    expect(await runJudgeBatch({ runId: run.id, judgeType: 'format', resultIds })).toEqual({
      scored: 0,
      errored: 0,
    });
    expect(await scores(run.id, 'format')).toEqual(first);
    expect(first.filter((s) => s.passed).map((s) => s.position)).toEqual([0, 3, 4]); // "0", "6" and {"answer": 8} are JSON
  });

  it('records error scores for a judge that cannot run while other judges go on', async () => {
    const { run, resultIds } = await newRun();
    const runJudgeBatch = makeRunJudgeBatch(deps());
    const [zeroShot, toxicity, format] = await Promise.all([
      runJudgeBatch({ runId: run.id, judgeType: 'zero_shot', resultIds }),
      runJudgeBatch({ runId: run.id, judgeType: 'toxicity', resultIds }),
      runJudgeBatch({ runId: run.id, judgeType: 'format', resultIds }),
    ]);
    expect(zeroShot).toEqual({ scored: 0, errored: 5 });
    expect(toxicity).toEqual({ scored: 0, errored: 5 });
    expect(format).toEqual({ scored: 5, errored: 0 });
    const zs = await scores(run.id, 'zero_shot');
    expect(
      zs.every((s) => s.score === null && !s.passed && /JudgeConfigError: .*labels/.test(s.error ?? '')),
    ).toBe(true);
    const tox = await scores(run.id, 'toxicity');
    expect(tox[0].error).toMatch(/ModelNotFoundError: model nobody\/not-downloaded .*npm run models/);
  });

  it('retries earlier error scores and replaces them when the judge now works', async () => {
    const { run, resultIds } = await newRun();
    await db.dataSource.query(
      `INSERT INTO judge_scores (result_id, run_id, judge_type, score, passed, details, error)
       SELECT id, run_id, 'assertions', NULL, false, '{}', 'worker crashed' FROM eval_results
        WHERE run_id = $1 AND status = 'succeeded' LIMIT 1`,
      [run.id],
    );
    const outcome = await makeRunJudgeBatch(deps())({ runId: run.id, judgeType: 'assertions', resultIds });
    expect(outcome).toEqual({ scored: 5, errored: 0 });
    expect((await scores(run.id, 'assertions')).every((s) => s.error === null)).toBe(true);
  });

  it('runs LLM-as-judge through the configured ChatCaller and records its tokens, or records why it cannot', async () => {
    const { run, resultIds } = await newRun();
    const without = await makeRunJudgeBatch(deps())({ runId: run.id, judgeType: 'llm_judge', resultIds });
    expect(without).toEqual({ scored: 0, errored: 5 });
    const client = new OpenAI({ baseURL: llm.openaiBaseUrl, apiKey: 'test' });
    const withCaller = makeRunJudgeBatch(
      deps({ judgeChatCaller: async () => createOpenAIChatCaller({ client, model: 'judge-1' }) }),
    );
    expect(await withCaller({ runId: run.id, judgeType: 'llm_judge', resultIds })).toEqual({
      scored: 5,
      errored: 0,
    });
    const rows = await scores(run.id, 'llm_judge');
    expect(
      rows.every(
        (s) => s.score === 0.75 && s.passed && s.model_id === 'judge-1' && s.token_count_input === 50,
      ),
    ).toBe(true);
  });

  it('uses CUDA for a judges.gpu judge when available, and says clearly when it falls back to CPU', async () => {
    const { run, resultIds } = await newRun();
    logLines.length = 0;
    const outcome = await makeRunJudgeBatch(deps())({ runId: run.id, judgeType: 'similarity', resultIds });
    expect(outcome).toEqual({ scored: 5, errored: 0 });
    const fallback = logLines.map((l) => JSON.parse(l)).find((l) => l.requestedDevice === 'cuda');
    expect(fallback).toMatchObject({ level: 40, device: 'cpu', modelId: TEST_MODELS.embedding });
    expect(fallback.msg).toMatch(/falling back to CPU/);
    expect((await scores(run.id, 'similarity'))[0]).toMatchObject({
      dtype: 'fp32',
      model_id: TEST_MODELS.embedding,
    });
  });

  it('a cancelled LLM-judge batch stops calling the model and stores none of its partial scores', async () => {
    const { run, resultIds } = await newRun();
    const env = new MockActivityEnvironment();
    let started = 0;
    let aborted = 0;
    // A judge model that answers only when its call is aborted: every call is in flight at the cancel.
    const hangingCaller: ChatCaller = {
      model: 'judge-slow',
      call: (_messages, options = {}) => {
        started++;
        if (started === 2) setTimeout(() => env.cancel(), 20);
        return new Promise((_, reject) =>
          options.signal?.addEventListener('abort', () => {
            aborted++;
            reject(new Error('aborted'));
          }),
        );
      },
    };
    const runJudgeBatch = makeRunJudgeBatch(deps({ judgeChatCaller: async () => hangingCaller }));
    const t0 = performance.now();
    const outcome = await env
      .run(runJudgeBatch, { runId: run.id, judgeType: 'llm_judge', resultIds })
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(CancelledFailure);
    expect(performance.now() - t0).toBeLessThan(2_000);
    // Every call in flight was aborted, none was started after the cancel (no repair attempt, no next item)…
    const inFlightAtCancel = started;
    expect(aborted).toBe(inFlightAtCancel);
    await new Promise((r) => setTimeout(r, 100));
    expect(started).toBe(inFlightAtCancel);
    // …and no error score was stored for them: a retried activity judges these results again.
    expect(await scores(run.id, 'llm_judge')).toEqual([]);
  });

  it('records unknown judge types as errors and rejects bad input without retrying', async () => {
    const { run, resultIds } = await newRun();
    const runJudgeBatch = makeRunJudgeBatch(deps());
    expect(await runJudgeBatch({ runId: run.id, judgeType: 'vibes', resultIds })).toEqual({
      scored: 0,
      errored: 5,
    });
    await expect(runJudgeBatch({ runId: 'not-a-uuid', judgeType: 'pii', resultIds })).rejects.toMatchObject({
      type: 'ValidationError',
      nonRetryable: true,
    });
    await expect(
      runJudgeBatch({ runId: '00000000-0000-4000-8000-000000000000', judgeType: 'pii', resultIds }),
    ).rejects.toMatchObject({ type: 'NotFoundError' });
    expect(await runJudgeBatch({ runId: run.id, judgeType: 'pii', resultIds: [] })).toEqual({
      scored: 0,
      errored: 0,
    });
  });
});
