import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import inspector from 'node:inspector/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { JUDGE_BATCH_SIZES } from '../../activities/judging/judge-task-queue.js';
import { isFinalRunStatus, type RunStatus } from '../../core/run-status.js';
import { createJudge } from '../../judges/registry.js';
import type { Judge, JudgeItem } from '../../judges/types.js';
import { createLogger } from '../../lib/logger.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { spawnNodeChild, WORKER_NODE_ARGS } from '../../runtime/child-process.js';
import { installTemporalRuntime } from '../../runtime/worker.js';
import { TASK_QUEUES } from '../../temporal.config.js';
import { startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { benchLogger, benchMachine, exitAfter, serveBenchApi, startBenchRunStack } from './common.js';
import { BENCH_MODEL, BENCH_SYSTEM_PROMPT, benchQuestion, findPromptfoo, runPromptfoo } from './promptfoo.js';

const DEFAULTS = {
  samples: 2_000,
  concurrency: 32,
  latencyMs: 100,
  /** How often the client asks GET /status while the run is open (the CLI's --wait polls every 2 s). */
  pollMs: 100,
  repeat: 1,
};
/** The judges of "with judges", as project guardrails (EvalForge) and as in-process settings (bare). */
const JUDGES = [
  { judge_type: 'format', threshold: 1, config: { max_length: 2_000 } },
  { judge_type: 'similarity', threshold: 0.3, config: {} },
] as const;
/** Results per evaluateBatch call in the bare loop: what EvalForge's CPU judge queue uses. */
const JUDGE_BATCH = JUDGE_BATCH_SIZES[TASK_QUEUES.judgesCpu];
/** Samples of the untimed warm-up run (loads the similarity model, warms workflow code and pools). */
const WARM_UP_SAMPLES = 200;
const TARGET_RATIO_VS_BARE = 1.15;
/** The whole script stops (and cleans up) after this long, whatever happens. */
const BENCH_DEADLINE_MS = 20 * 60_000;
const reference = (i: number) => `${i + i}`;

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: String(DEFAULTS.samples) },
    concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
    'latency-ms': { type: 'string', default: String(DEFAULTS.latencyMs) },
    'poll-ms': { type: 'string', default: String(DEFAULTS.pollMs) },
    'chunk-size': { type: 'string' },
    'parallel-chunks': { type: 'string' },
    repeat: { type: 'string', default: String(DEFAULTS.repeat) },
    judges: { type: 'string', default: 'both' },
    /** `process` (default): the judges.* queues in a worker process of their own, as `npm start` and the
     * production layout (Scaling workers) run them; `in-process`: every queue in this process. */
    'judges-worker': { type: 'string', default: 'process' },
    promptfoo: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const opts = {
  samples: Number(args.samples),
  concurrency: Number(args.concurrency),
  latencyMs: Number(args['latency-ms']),
  pollMs: Number(args['poll-ms']),
  repeat: Number(args.repeat),
};
/** Left to the server's defaults (plan-run) unless given. */
const chunking = {
  chunk_size: args['chunk-size'] === undefined ? undefined : Number(args['chunk-size']),
  max_parallel_chunks: args['parallel-chunks'] === undefined ? undefined : Number(args['parallel-chunks']),
};
const judgesInOwnProcess = args['judges-worker'] === 'process';
const judgeSets = { both: [false, true], none: [false], only: [true] }[args.judges ?? 'both'];
if (
  !Object.values(opts).every((v) => Number.isInteger(v) && v >= 1) ||
  !Object.values(chunking).every((v) => v === undefined || (Number.isInteger(v) && v >= 1)) ||
  !judgeSets ||
  !['process', 'in-process'].includes(args['judges-worker'] ?? '')
) {
  console.error(
    'usage: npm run bench:runs:e2e -- [--samples N] [--concurrency N] [--latency-ms N] [--poll-ms N] [--chunk-size N] [--parallel-chunks N] [--judges both|none|only] [--judges-worker in-process|process] [--repeat N] [--no-promptfoo]',
  );
  process.exit(2);
}

exitAfter(BENCH_DEADLINE_MS, 'bench:runs:e2e');

const logger = benchLogger();
installTemporalRuntime({ logger });
const cleanups: Array<() => Promise<unknown>> = [];

async function api<T>(base: string, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** Project, endpoint, guardrails and a dataset of `samples` samples, all through the HTTP API. */
async function createFixture(base: string, llmBaseUrl: string, samples: number) {
  const project = await api<{ id: string }>(base, 'POST', '/api/projects', { name: `bench e2e ${samples}` });
  const endpoint = await api<{ id: string }>(base, 'POST', `/api/projects/${project.id}/endpoints`, {
    name: 'fake',
    provider: 'openai',
    model_name: BENCH_MODEL,
    endpoint_url: llmBaseUrl,
    config: { concurrency: opts.concurrency },
  });
  for (const j of JUDGES) await api(base, 'POST', `/api/projects/${project.id}/guardrails`, j);
  const dataset = await api<{ id: string }>(base, 'POST', `/api/projects/${project.id}/datasets`, {
    name: `bench ${samples}`,
  });
  const jsonl = Array.from({ length: samples }, (_, i) =>
    JSON.stringify({
      input_text: benchQuestion(i),
      system_prompt: BENCH_SYSTEM_PROMPT,
      reference_output: reference(i),
    }),
  ).join('\n');
  const upload = await fetch(`${base}/api/datasets/${dataset.id}/upload`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${jsonl}\n`,
  });
  if (!upload.ok) throw new Error(`upload answered ${upload.status}: ${(await upload.text()).slice(0, 500)}`);
  return { projectId: project.id, endpointId: endpoint.id, datasetId: dataset.id };
}

type Fixture = Awaited<ReturnType<typeof createFixture>>;

/** POST a run, poll its status until final; seconds from the POST to the final status. */
async function evalforgeRun(base: string, fx: Fixture, withJudges: boolean) {
  const started = performance.now();
  const startedAtMs = performance.now();
  const run = await api<{ id: string }>(base, 'POST', '/api/eval/run', {
    project_id: fx.projectId,
    dataset_id: fx.datasetId,
    endpoint_id: fx.endpointId,
    trigger_type: 'manual',
    judges: withJudges ? JUDGES.map((j) => j.judge_type) : [],
    ...chunking,
  });
  let status: RunStatus;
  let polls = 0;
  for (;;) {
    ({ status } = await api<{ status: RunStatus }>(base, 'GET', `/api/eval/runs/${run.id}/status`));
    polls++;
    if (isFinalRunStatus(status)) break;
    await sleep(opts.pollMs);
  }
  const seconds = (performance.now() - started) / 1000;
  if (status !== 'completed') throw new Error(`run ${run.id} ended ${status}`);
  return { seconds, runId: run.id, polls, startedAtMs, endedAtMs: performance.now() };
}

/** When the fake server saw the first model request and answered the last one (reset per timed run). */
const callWindow = { first: Number.POSITIVE_INFINITY, last: 0 };

/** Where a run's time went: until the first model request (POST, workflow start, planning, first chunk),
 * the model calls (first request to last answer), and after them (the last results and judges, summary,
 * the final status seen by a poll). */
function phases(run: { startedAtMs: number; endedAtMs: number }) {
  return {
    before_calls_s: fmt((callWindow.first - run.startedAtMs) / 1000),
    calls_s: fmt((callWindow.last - callWindow.first) / 1000),
    after_calls_s: fmt((run.endedAtMs - callWindow.last) / 1000),
  };
}

/** The floor: `concurrency` workers over one fetch loop; with judges, batches judged as outputs arrive. */
async function bareLoop(llmBaseUrl: string, samples: number, judges: Judge[]) {
  const started = performance.now();
  let next = 0;
  let succeeded = 0;
  let scores = 0;
  let pending: JudgeItem[] = [];
  let judging: Promise<void> = Promise.resolve();
  const judge = (batch: JudgeItem[]) => {
    judging = judging.then(async () => {
      const results = await Promise.all(judges.map((j) => j.evaluateBatch(batch)));
      for (const r of results) scores += r.filter((s) => !s.error).length;
    });
  };
  const worker = async () => {
    while (next < samples) {
      const i = next++;
      const res = await fetch(`${llmBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        body: JSON.stringify({
          model: BENCH_MODEL,
          messages: [
            { role: 'system', content: BENCH_SYSTEM_PROMPT },
            { role: 'user', content: benchQuestion(i) },
          ],
        }),
      });
      if (!res.ok) throw new Error(`model answered ${res.status}`);
      const body = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
      const output = body.choices?.[0]?.message?.content;
      if (!output) continue;
      succeeded++;
      if (judges.length === 0) continue;
      pending.push({ id: String(i), output, input: benchQuestion(i), reference: reference(i), metadata: {} });
      if (pending.length >= JUDGE_BATCH) {
        judge(pending);
        pending = [];
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  if (pending.length > 0) judge(pending);
  await judging;
  return { seconds: (performance.now() - started) / 1000, succeeded, scores };
}

const fmt = (s: number) => +s.toFixed(2);

/** BENCH_CPU_PROFILE_DIR=dir: a V8 CPU profile of each timed EvalForge run (this process only: worker, API,
 * fake server), to open in Chrome DevTools or speedscope. */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  if (!dir) return fn();
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
/** CPU seconds this process (the worker, the API, the fake server and the bare loop all live here) spends in `fn`:
 * less disturbed than wall time by other load on a shared machine. Temporal and PostgreSQL are not in it. */
async function withCpu<T>(fn: () => Promise<T>, alsoPid?: number): Promise<T & { cpuSeconds: number }> {
  const before = process.cpuUsage();
  const otherBefore = alsoPid ? processCpuSeconds(alsoPid) : 0;
  const result = await fn();
  const used = process.cpuUsage(before);
  const other = alsoPid ? processCpuSeconds(alsoPid) - otherBefore : 0;
  return { ...result, cpuSeconds: (used.user + used.system) / 1e6 + other };
}

/** User + system CPU seconds of another process so far (Linux /proc; clock ticks at 100 Hz). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

try {
  const llm = await startFakeLlmServer({
    latency: opts.latencyMs,
    fast: true,
    onRequestEvent: ({ phase }) => {
      if (phase === 'start') callWindow.first = Math.min(callWindow.first, performance.now());
      else callWindow.last = performance.now();
    },
  });
  cleanups.push(() => llm.close());
  const stack = await startBenchRunStack(cleanups, {
    logger,
    ...(judgesInOwnProcess && { queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm] }),
  });
  let judgesWorkerPid: number | undefined;
  if (judgesInOwnProcess) {
    const judgesWorker = spawnNodeChild('judges worker', path.join(PROJECT_ROOT, 'scripts', 'worker.ts'), {
      env: {
        ...process.env,
        DATABASE_URL: stack.db.url,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        EVALFORGE_MODE: 'dev',
        EVALFORGE_WORKER_QUEUES: [TASK_QUEUES.judgesCpu, TASK_QUEUES.judgesGpu].join(','),
        LOG_LEVEL: 'error',
      },
      nodeArgs: WORKER_NODE_ARGS,
    });
    cleanups.push(() => judgesWorker.stop(5_000));
    await judgesWorker.ready;
    judgesWorkerPid = judgesWorker.process.pid;
  }
  // The API's own warnings (a progress query that timed out under load, answered from the database) are
  // routine here: errors only.
  const base = await serveBenchApi(
    { ...stack.apiDeps, logger: createLogger('bench-api', 'error') },
    cleanups,
  );
  const judges = JUDGES.map((j) => createJudge(j.judge_type, { threshold: j.threshold, config: j.config }));

  // Untimed warm-up: model loaded in this process (the in-process worker shares it), workflow code warm.
  const warm = await createFixture(base, llm.openaiBaseUrl, WARM_UP_SAMPLES);
  await evalforgeRun(base, warm, true);
  await bareLoop(llm.openaiBaseUrl, WARM_UP_SAMPLES, judges);

  const setupStarted = performance.now();
  const fx = await createFixture(base, llm.openaiBaseUrl, opts.samples);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const found = args.promptfoo ? await findPromptfoo() : null;
  const promptfoo = found && 'cmd' in found ? found.cmd : null;
  const rows: Array<Record<string, string | number>> = [];
  for (let rep = 1; rep <= opts.repeat; rep++) {
    for (const withJudges of judgeSets) {
      const label = withJudges ? 'format+similarity' : 'no judges';
      const bare = await withCpu(() => bareLoop(llm.openaiBaseUrl, opts.samples, withJudges ? judges : []));
      if (bare.succeeded !== opts.samples || (withJudges && bare.scores !== opts.samples * judges.length))
        throw new Error(`bare loop (${label}): ${JSON.stringify(bare)}`);
      llm.reset();
      Object.assign(callWindow, { first: Number.POSITIVE_INFINITY, last: 0 });
      const ef = await withCpu(
        () =>
          profiled(`evalforge-${withJudges ? 'judges' : 'none'}-${rep}`, () =>
            evalforgeRun(base, fx, withJudges),
          ),
        judgesWorkerPid,
      );
      const maxInFlight = llm.stats().maxInFlight;
      const [counts] = await stack.db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM eval_results WHERE run_id = $1 AND status = 'succeeded') AS ok,
                (SELECT count(*)::int FROM judge_scores WHERE run_id = $1 AND error IS NULL) AS scores`,
        [ef.runId],
      );
      if (counts.ok !== opts.samples || counts.scores !== (withJudges ? opts.samples * judges.length : 0))
        throw new Error(`evalforge run ${ef.runId} (${label}): ${JSON.stringify(counts)}`);
      rows.push({
        judges: label,
        rep,
        bare_s: fmt(bare.seconds),
        evalforge_s: fmt(ef.seconds),
        ratio: +(ef.seconds / bare.seconds).toFixed(3),
        bare_cpu_s: fmt(bare.cpuSeconds),
        evalforge_cpu_s: fmt(ef.cpuSeconds),
        ...phases(ef),
        status_polls: ef.polls,
        max_in_flight: maxInFlight,
      });
    }
    if (promptfoo) {
      const { seconds: pf, succeeded } = await runPromptfoo(promptfoo, {
        llmBaseUrl: llm.openaiBaseUrl,
        samples: opts.samples,
        concurrency: opts.concurrency,
      });
      if (succeeded !== opts.samples) throw new Error(`promptfoo answered ${succeeded} of ${opts.samples}`);
      const bareRow = rows.find((r) => r.rep === rep && r.judges === 'no judges');
      rows.push({
        judges: 'promptfoo (no judges)',
        rep,
        bare_s: bareRow?.bare_s ?? '',
        evalforge_s: '',
        promptfoo_s: fmt(pf),
        ratio: bareRow ? +(pf / Number(bareRow.bare_s)).toFixed(3) : '',
      });
    }
  }
  console.table(rows);
  if (!promptfoo)
    console.log(args.promptfoo ? 'promptfoo: not installed' : 'promptfoo: skipped (--no-promptfoo)');
  const ideal = (opts.samples / opts.concurrency) * (opts.latencyMs / 1000);
  for (const withJudges of judgeSets) {
    const label = withJudges ? 'format+similarity' : 'no judges';
    const ratios = rows.filter((r) => r.judges === label).map((r) => r.ratio);
    console.log(
      `${label}: evalforge / bare = ${ratios.join(', ')} (target ≤ ${TARGET_RATIO_VS_BARE}; ideal generation ${ideal.toFixed(2)} s)`,
    );
  }
  console.log(
    `untimed setup through the API (project, endpoint, guardrails, ${opts.samples}-sample upload): ${fmt(setupSeconds)} s`,
  );
  console.log(
    JSON.stringify({
      benchmark: 'runs-e2e',
      ...benchMachine(),
      options: { ...opts, ...chunking, judges_worker: judgesInOwnProcess ? 'process' : 'in-process' },
      judges: JUDGES,
      judge_batch: JUDGE_BATCH,
      target_ratio_vs_bare: TARGET_RATIO_VS_BARE,
      results: rows,
      promptfoo: promptfoo ? promptfoo.join(' ') : null,
    }),
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.warn({ err }, 'cleanup'));
}
