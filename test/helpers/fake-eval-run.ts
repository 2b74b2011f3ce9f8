/**
 * Fake activities for the evalRun workflow: no database, no model, no judge. Each fake run is scripted
 * per runId (every activity input carries it), so one worker set serves many runs, and records the
 * activity calls it receives so a test can assert what the workflow asked for, and in which order.
 */
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import type { Activities } from '../../activities/index.js';
import type { ChunkGeneration, ChunkRef, FinalRunStatus, RunPlan } from '../../activities/runs/types.js';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../../temporal.config.js';

export interface FakeRunScript {
  plan: Omit<RunPlan, 'runId'>;
  /** What a chunk generates; may throw or hang (default: every sample of the chunk succeeds). */
  chunk?: (chunk: ChunkRef, fake: FakeRun) => ChunkGeneration | Promise<ChunkGeneration>;
  /** What a judge batch reports; may throw (default: every result scored). */
  judge?: (judgeType: string, resultIds: string[]) => { scored: number; errored: number };
  /** planRun waits for this before it answers (lets a test signal the run while it is planning). */
  planGate?: Promise<void>;
  /** Awaited before recordJudgeFailure answers (lets a test order it against other chunks' work). */
  beforeRecordJudgeFailure?: (
    input: { judgeType: string; resultIds: string[] },
    fake: FakeRun,
  ) => Promise<void>;
}

export interface RecordedCall {
  activity: keyof Activities;
  input: unknown;
}

export class FakeRun {
  readonly calls: RecordedCall[] = [];
  /** Activity calls and what happened to chunks, in order: "generateRunChunk#2", "chunk#2 cancelled"… */
  readonly log: string[] = [];
  readonly samples = { total: 0, succeeded: 0, failed: 0 };
  parallelChunks = 0;
  peakParallelChunks = 0;
  private readonly waiters = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  constructor(
    readonly runId: string,
    readonly script: FakeRunScript,
  ) {}

  record(activity: keyof Activities, input: unknown, label: string = activity) {
    this.calls.push({ activity, input });
    this.note(label);
  }

  note(entry: string) {
    this.log.push(entry);
    this.waiter(entry).resolve();
  }

  /** Resolves once the log has this entry (e.g. "generateRunChunk#3" when chunk 3 has started). */
  reached(entry: string): Promise<void> {
    return this.waiter(entry).promise;
  }

  inputsOf<K extends keyof Activities>(activity: K): Parameters<Activities[K]>[0][] {
    return this.calls
      .filter((c) => c.activity === activity)
      .map((c) => c.input as Parameters<Activities[K]>[0]);
  }

  /** Indexes of the chunks generated, sorted (parallel chunks start in any order). */
  chunkIndexes(): number[] {
    return this.inputsOf('generateRunChunk')
      .map((c) => c.chunkIndex)
      .sort((a, b) => a - b);
  }

  private waiter(entry: string) {
    let w = this.waiters.get(entry);
    if (!w) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      w = { promise, resolve };
      this.waiters.set(entry, w);
    }
    return w;
  }
}

/** Chunk behaviours for scripts. */
export const chunks = {
  /** Every sample of the chunk succeeds; result ids are derived from the chunk so judges can be checked. */
  succeed(chunk: ChunkRef, fake: FakeRun, opts: { budgetExceeded?: boolean } = {}): ChunkGeneration {
    const n = samplesInChunk(chunk, fake.script.plan);
    const resultIds = Array.from({ length: n }, (_, i) => `${chunk.runId}/chunk-${chunk.chunkIndex}/${i}`);
    return { succeeded: n, failed: 0, skipped: 0, budgetExceeded: opts.budgetExceeded ?? false, resultIds };
  },
  /** Every model call of the chunk failed (recorded as failed samples, nothing for the judges). */
  failEverySample(chunk: ChunkRef, fake: FakeRun): ChunkGeneration {
    const n = samplesInChunk(chunk, fake.script.plan);
    return { succeeded: 0, failed: n, skipped: 0, budgetExceeded: false, resultIds: [] };
  },
  /** Heartbeats until the workflow cancels the activity, then reports the cancellation as a real chunk does. */
  async hangUntilCancelled(): Promise<never> {
    const ctx = Context.current();
    for (;;) {
      ctx.heartbeat();
      await ctx.sleep(50);
    }
  },
};

function samplesInChunk(chunk: ChunkRef, plan: FakeRunScript['plan']) {
  const samples = Math.max(
    0,
    Math.min(chunk.chunkSize, plan.totalSamples - chunk.chunkIndex * chunk.chunkSize),
  );
  return samples * plan.repetitions;
}

export const FAKE_BASE_RUN_ID = '00000000-0000-4000-8000-00000000ba5e';

export interface FakeEvalRunActivities {
  activities: Activities;
  /** Scripts the run `runId`; its activity calls are recorded on the returned FakeRun. */
  fakeRun(runId: string, script: FakeRunScript): FakeRun;
}

export function createFakeEvalRunActivities(): FakeEvalRunActivities {
  const runs = new Map<string, FakeRun>();
  const runFor = (runId: string) => {
    const fake = runs.get(runId);
    if (!fake) throw ApplicationFailure.nonRetryable(`no fake scripted for run ${runId}`, 'NotFoundError');
    return fake;
  };
  const notFaked = (name: string) => async (): Promise<never> => {
    throw ApplicationFailure.nonRetryable(`${name} is not faked: evalRun does not call it`, 'BadRequest');
  };

  const activities: Activities = {
    describeWorker: notFaked('describeWorker'),
    generateChunk: notFaked('generateChunk'),
    testEndpoint: notFaked('testEndpoint'),
    // The GitHub event workflow's recorded scenario: a pull request whose base commit runs first.
    async handleGitHubEvent(event) {
      if (event.kind !== 'pull_request') return { kind: 'done', note: `${event.kind} handled` };
      return {
        kind: 'wait_for_run',
        runId: FAKE_BASE_RUN_ID,
        resume: { baseRunId: FAKE_BASE_RUN_ID, checkRunId: 1, configPath: 'evalforge.yaml' },
      };
    },
    async resumeGitHubEvent(_event, resume) {
      return { kind: 'done', note: `candidate compared with ${resume.baseRunId}` };
    },
    async awaitRunFinished() {
      return { status: 'completed' };
    },
    async recordDeliveryOutcome() {},
    async planRun(runId) {
      const fake = runFor(runId);
      fake.record('planRun', runId);
      await fake.script.planGate;
      return { runId, ...fake.script.plan };
    },
    async generateRunChunk(chunk) {
      const fake = runFor(chunk.runId);
      fake.record('generateRunChunk', chunk, `generateRunChunk#${chunk.chunkIndex}`);
      fake.parallelChunks += 1;
      fake.peakParallelChunks = Math.max(fake.peakParallelChunks, fake.parallelChunks);
      try {
        const generated = await (fake.script.chunk ?? chunks.succeed)(chunk, fake);
        fake.samples.succeeded += generated.succeeded;
        fake.samples.failed += generated.failed;
        fake.samples.total += generated.succeeded + generated.failed;
        fake.note(`chunk#${chunk.chunkIndex} done`);
        return generated;
      } catch (err) {
        fake.note(`chunk#${chunk.chunkIndex} ${err instanceof CancelledFailure ? 'cancelled' : 'failed'}`);
        throw err;
      } finally {
        fake.parallelChunks -= 1;
      }
    },
    async runJudgeBatch(input) {
      const fake = runFor(input.runId);
      fake.record('runJudgeBatch', input, `runJudgeBatch:${input.judgeType}`);
      return (fake.script.judge ?? (() => ({ scored: input.resultIds.length, errored: 0 })))(
        input.judgeType,
        input.resultIds,
      );
    },
    async recordJudgeFailure(input) {
      const fake = runFor(input.runId);
      fake.record('recordJudgeFailure', input, `recordJudgeFailure:${input.judgeType}:${input.resultIds[0]}`);
      await fake.script.beforeRecordJudgeFailure?.(input, fake);
      return input.resultIds.length;
    },
    async summarizeRun(runId) {
      const fake = runFor(runId);
      fake.record('summarizeRun', runId);
      return { verdict: 'pass', blocking_failures: [], samples: { ...fake.samples } };
    },
    async detectRegressions(input) {
      runFor(input.runId).record('detectRegressions', input);
      return [];
    },
    async finalizeRun(input: { runId: string; status: FinalRunStatus; error?: string }) {
      runFor(input.runId).record('finalizeRun', input, `finalizeRun:${input.status}`);
    },
    async reportToGitHub(input) {
      runFor(input.runId).record('reportToGitHub', input);
      return { reported: false, reason: 'not_from_github' as const };
    },
  };

  return {
    activities,
    fakeRun(runId, script) {
      const fake = new FakeRun(runId, script);
      runs.set(runId, fake);
      return fake;
    },
  };
}

/**
 * The SDK logs at INFO to stderr unless told otherwise. Keep warnings and errors (core's too), minus what
 * these tests cause on purpose: activity-only queues have no workflows, scripted activity failures are
 * non-retryable, a failed workflow reaches its test through handle.result() anyway, and replaying a
 * deliberately broken workflow (opts.expectNondeterminism) fails its workflow tasks.
 * Once per process (Runtime.install throws after the runtime exists; then the existing one stays).
 */
export function installQuietTemporalRuntime(opts: { expectNondeterminism?: boolean } = {}) {
  const expected = (entry: { message: string; meta?: Record<string, unknown> }) =>
    entry.message === 'No workflows registered, not polling for workflow tasks' ||
    entry.message === 'Workflow failed' ||
    (opts.expectNondeterminism === true && entry.message === 'Failing workflow task') ||
    (entry.message === 'Activity failed' &&
      entry.meta?.error instanceof ApplicationFailure &&
      entry.meta.error.nonRetryable);
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        if (!expected(entry)) console.warn(`[temporal ${entry.level}] ${entry.message}`, entry.meta ?? '');
      }),
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } },
    });
  } catch {
    // A runtime already exists in this process: its logger stays.
  }
}

export interface FakeActivityWorkers {
  stop(): Promise<void>;
}

/** One worker per task queue with the fake activities; the orchestration queue also runs the workflows. */
export async function startFakeActivityWorkers(opts: {
  address: string;
  namespace: string;
  activities: Activities;
  workflowBundle: WorkflowBundleOption;
}): Promise<FakeActivityWorkers> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const workers = await Promise.all(
    ALL_TASK_QUEUES.map((taskQueue) =>
      Worker.create({
        connection,
        namespace: opts.namespace,
        taskQueue,
        activities: opts.activities,
        // Cancellation reaches an activity with a heartbeat reply: flush heartbeats at once.
        maxHeartbeatThrottleInterval: '50ms',
        defaultHeartbeatThrottleInterval: '50ms',
        ...(taskQueue === TASK_QUEUES.orchestration ? { workflowBundle: opts.workflowBundle } : {}),
      }),
    ),
  );
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await connection.close();
    },
  };
}
