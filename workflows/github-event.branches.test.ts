/**
 * The gitHubEvent workflow's branches with fake activities: done at once, waiting for the base commit's
 * run before going on, a rate-limited call retried when GitHub says, and a failure recorded on the
 * delivery. What the handler really does is covered by github-app/pull-request-ci.test.ts.
 */
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CiEvent, CiResume, CiStep } from '../core/ci-events.js';
import { TASK_QUEUES } from '../temporal.config.js';
import {
  createFakeEvalRunActivities,
  type FakeActivityWorkers,
  installQuietTemporalRuntime,
  startFakeActivityWorkers,
} from '../test/helpers/fake-eval-run.js';
import type { TestTemporal } from '../test/helpers/temporal.js';
import { createTestNamespace } from '../test/helpers/temporal-namespace.js';
import { gitHubEvent } from './index.js';

type Script = {
  handle: (attempt: number) => CiStep;
  resume?: (r: CiResume) => CiStep;
};

const scripts = new Map<string, Script>();
const calls: Array<{ id: string; activity: string; arg?: unknown }> = [];
const attempts = new Map<string, number>();

const event = (prNumber: number): CiEvent => ({
  kind: 'pull_request',
  action: 'opened',
  installationId: 1,
  fullName: 'o/r',
  prNumber,
  headSha: 'a'.repeat(40),
  baseSha: 'b'.repeat(40),
  branch: 'feature',
  baseBranch: 'main',
});
const idOf = (e: CiEvent) => (e.kind === 'pull_request' ? String(e.prNumber) : e.kind);

let temporal: TestTemporal;
let workers: FakeActivityWorkers;

beforeAll(async () => {
  installQuietTemporalRuntime();
  temporal = await createTestNamespace();
  const fakes = createFakeEvalRunActivities();
  workers = await startFakeActivityWorkers({
    address: temporal.address,
    namespace: temporal.namespace,
    activities: {
      ...fakes.activities,
      async handleGitHubEvent(e) {
        const id = idOf(e);
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        calls.push({ id, activity: 'handle' });
        return scripts.get(id)!.handle(attempt);
      },
      async resumeGitHubEvent(e, r) {
        calls.push({ id: idOf(e), activity: 'resume', arg: r });
        return scripts.get(idOf(e))!.resume!(r);
      },
      async awaitRunFinished(input) {
        calls.push({ id: input.runId, activity: 'await' });
        return { status: 'completed' };
      },
      async recordDeliveryOutcome(input) {
        calls.push({ id: input.deliveryRowId, activity: 'record', arg: input });
      },
    },
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
});
afterAll(async () => {
  await workers?.stop();
  await temporal?.close();
});

const run = (prNumber: number, deliveryRowId: string) =>
  temporal.client.workflow.execute(gitHubEvent, {
    taskQueue: TASK_QUEUES.orchestration,
    workflowId: `github-event-${deliveryRowId}`,
    args: [{ event: event(prNumber), deliveryRowId }],
  });
const callsOf = (...ids: string[]) => calls.filter((c) => ids.includes(c.id)).map((c) => c.activity);

describe('gitHubEvent branches (fake activities)', () => {
  it('records the delivery done when the handler finishes at once', async () => {
    scripts.set('1', { handle: () => ({ kind: 'done', note: 'run r1 for aaaaaaa' }) });
    expect(await run(1, 'd1')).toBe('run r1 for aaaaaaa');
    expect(callsOf('1', 'd1')).toEqual(['handle', 'record']);
    expect(calls.find((c) => c.id === 'd1')?.arg).toMatchObject({ status: 'done' });
  });

  it("waits for the base commit's run, then resumes with what the handler asked to keep", async () => {
    const resume: CiResume = { baseRunId: 'base-run', checkRunId: 7, configPath: 'evalforge.yaml' };
    scripts.set('2', {
      handle: () => ({ kind: 'wait_for_run', runId: 'base-run', resume }),
      resume: (r) => ({ kind: 'done', note: `candidate after ${r.baseRunId}` }),
    });
    expect(await run(2, 'd2')).toBe('candidate after base-run');
    expect(callsOf('2', 'base-run', 'd2')).toEqual(['handle', 'await', 'resume', 'record']);
    expect(calls.find((c) => c.id === '2' && c.activity === 'resume')?.arg).toEqual(resume);
  });

  it('retries a rate-limited call after the delay GitHub named', async () => {
    scripts.set('3', {
      handle: (attempt) => {
        if (attempt === 1) {
          throw ApplicationFailure.create({
            message: 'rate limited',
            type: 'GitHubRateLimited',
            nextRetryDelay: 300,
          });
        }
        return { kind: 'done', note: 'after the limit' };
      },
    });
    const started = Date.now();
    expect(await run(3, 'd3')).toBe('after the limit');
    expect(attempts.get('3')).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('records a failure on the delivery and fails, so the delivery can be sent again', async () => {
    scripts.set('4', {
      handle: () => {
        throw ApplicationFailure.nonRetryable('link points at a deleted project', 'NotFoundError');
      },
    });
    await expect(run(4, 'd4')).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(calls.find((c) => c.id === 'd4')?.arg).toMatchObject({ status: 'failed' });
  });
});
