/**
 * Run-throughput benchmark (issue 4): `npm run bench:runs [-- --repeat 3]`.
 * N samples against the local fake LLM server (127.0.0.1, fixed latency) at one concurrency, three ways:
 *  - evalforge: a real run — throwaway PostgreSQL database (TEST_PG_ADMIN_URL), a headless in-memory
 *    Temporal dev server, an in-process worker set; timed from startRun to the workflow's result;
 *  - bare: an in-process loop making the same calls with the `openai` SDK, the floor to compare with;
 *  - promptfoo: `promptfoo eval` on the same server and concurrency, when a promptfoo binary is found
 *    (PROMPTFOO_BIN, else node_modules/.bin, else `npx --no-install`; never downloaded by this script).
 * Prints a table and one JSON line per benchmark; everything it starts it stops, and the whole script
 * is bounded by BENCH_DEADLINE_MS.
 */

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import OpenAI from 'openai';
import type { ApiDeps } from '../../api/deps.js';
import { startRun } from '../../api/services/runs.js';
import { createOutboundPolicy } from '../../core/outbound-policy.js';
import { NO_REPORTER } from '../../core/run-reporter.js';
import { EvalResult } from '../../db/entities/index.js';
import { createWorkerSet, installTemporalRuntime, NativeConnection } from '../../runtime/worker.js';
import { ALL_TASK_QUEUES } from '../../temporal.config.js';
import { startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { createThrowawayDatabase, pgAdminUrlFromEnv } from '../../test/helpers/throwaway-database.js';
import type { EvalRunOutcome } from '../../workflows/index.js';
import { benchLogger, exitAfter, historyOf, startBenchTemporal } from './common.js';

const DEFAULTS = {
  samples: 2_000,
  concurrency: 32,
  latencyMs: 100,
  chunkSize: 50,
  /** 4 chunks × 50 samples = 200 queued for 32 slots: when one chunk ends (activity completion, workflow
   * task, next activity dispatch), the other three still hold ≥ 32 waiting samples, so no slot idles. */
  parallelChunks: 4,
  repeat: 1,
};
/** The whole script stops (and cleans up) after this long, whatever happens. */
const BENCH_DEADLINE_MS = 15 * 60_000;
/** promptfoo's own process (startup included) may take this long per repetition. */
const PROMPTFOO_TIMEOUT_MS = 5 * 60_000;
const TARGET_RATIO_VS_BARE = 1.15;
const MODEL = 'fake-model';
const SYSTEM_PROMPT = 'You are a helpful assistant.';
/** The fixture's prompts (test/fixtures/projects.ts), so every contender sends the same requests. */
const question = (i: number) => `Question ${i}: what is ${i} + ${i}?`;

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: String(DEFAULTS.samples) },
    concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
    'latency-ms': { type: 'string', default: String(DEFAULTS.latencyMs) },
    'chunk-size': { type: 'string', default: String(DEFAULTS.chunkSize) },
    'parallel-chunks': { type: 'string', default: String(DEFAULTS.parallelChunks) },
    repeat: { type: 'string', default: String(DEFAULTS.repeat) },
    promptfoo: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const opts = {
  samples: Number(args.samples),
  concurrency: Number(args.concurrency),
  latencyMs: Number(args['latency-ms']),
  chunkSize: Number(args['chunk-size']),
  parallelChunks: Number(args['parallel-chunks']),
  repeat: Number(args.repeat),
};
if (!Object.values(opts).every((v) => Number.isInteger(v) && v >= 1)) {
  console.error(
    'usage: npm run bench:runs -- [--samples N] [--concurrency N] [--latency-ms N] [--chunk-size N] [--parallel-chunks N] [--repeat N] [--no-promptfoo]',
  );
  process.exit(2);
}

exitAfter(BENCH_DEADLINE_MS, 'bench:runs');

interface Measurement {
  contender: 'evalforge' | 'bare' | 'promptfoo';
  repetition: number;
  seconds: number;
  succeeded: number;
  /** Highest number of requests the fake server saw at once. */
  maxInFlight: number;
  historyEvents?: number;
  executions?: number;
  /** promptfoo's own duration, its process startup left out. */
  innerSeconds?: number;
}

const logger = benchLogger();
installTemporalRuntime({ logger });
const cleanups: Array<() => Promise<unknown>> = [];
const llm = await startFakeLlmServer({ latency: opts.latencyMs, fast: true });
cleanups.push(() => llm.close());

async function timed(fn: () => Promise<number>) {
  llm.reset();
  const started = performance.now();
  const succeeded = await fn();
  return { seconds: (performance.now() - started) / 1000, succeeded, maxInFlight: llm.stats().maxInFlight };
}

/** The floor: the same calls from one loop with `concurrency` workers, nothing stored. */
async function bareLoop(): Promise<number> {
  const client = new OpenAI({ apiKey: 'bench', baseURL: llm.openaiBaseUrl, maxRetries: 0 });
  let next = 0;
  let succeeded = 0;
  const worker = async () => {
    while (next < opts.samples) {
      const i = next++;
      const res = await client.chat.completions.create({
        model: MODEL,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: question(i) },
        ],
      });
      if (res.choices[0]?.message.content) succeeded += 1;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return succeeded;
}

interface EvalForgeRig {
  runOnce(): Promise<{ succeeded: number; historyEvents: number; executions: number }>;
}

async function startEvalForge(): Promise<EvalForgeRig> {
  const db = await createThrowawayDatabase({
    adminUrl: pgAdminUrlFromEnv(),
    prefix: 'evalforge_bench',
    applicationName: 'evalforge-bench',
    poolSize: 20,
  });
  cleanups.push(() => db.drop());
  const temporalServer = await startBenchTemporal(cleanups);
  const namespace = 'default';
  const workerConnection = await NativeConnection.connect({ address: temporalServer.address });
  cleanups.push(() => workerConnection.close());
  // No prebuilt bundle: the SDK bundles workflows/index.ts (before the clock starts).
  const workerSet = await createWorkerSet({
    connection: workerConnection,
    namespace,
    queues: [...ALL_TASK_QUEUES],
    // Dev mode's outbound policy: the fake model server listens on loopback.
    deps: {
      dataSource: db.dataSource,
      logger,
      reporter: NO_REPORTER,
      outboundPolicy: createOutboundPolicy({ mode: 'dev' }),
    },
  });
  const running = workerSet.run();
  cleanups.push(async () => {
    workerSet.shutdown();
    await running;
  });
  const connection = await Connection.connect({ address: temporalServer.address });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace });
  const apiDeps: ApiDeps = {
    dataSource: db.dataSource,
    temporal: client,
    logger,
    mode: 'dev',
    temporalUiUrl: null,
  };
  const fx = await createProjectFixture(db.dataSource, {
    samples: opts.samples,
    endpointUrl: llm.openaiBaseUrl,
    endpointConfig: { concurrency: opts.concurrency },
  });

  return {
    async runOnce() {
      const { run } = await startRun(apiDeps, {
        project_id: fx.project.id,
        dataset_id: fx.dataset.id,
        endpoint_id: fx.endpoint.id,
        trigger_type: 'manual',
        chunk_size: opts.chunkSize,
        max_parallel_chunks: opts.parallelChunks,
      });
      const outcome: EvalRunOutcome = await client.workflow.getHandle(run.workflow_id!).result();
      if (outcome.status !== 'completed') throw new Error(`run ${run.id} ended ${outcome.status}`);
      const succeeded = await db.dataSource
        .getRepository(EvalResult)
        .countBy({ run_id: run.id, status: 'succeeded' });
      const history = await historyOf(client, run.workflow_id!);
      return { succeeded, historyEvents: history.totalEvents, executions: history.executions };
    },
  };
}

const execFileAsync = promisify(execFile);

/** A promptfoo command line, or why there is none; this script never downloads it. */
async function findPromptfoo(): Promise<{ cmd: string[] } | { missing: string }> {
  const candidates = [
    ...(process.env.PROMPTFOO_BIN ? [[process.env.PROMPTFOO_BIN]] : []),
    [path.resolve('node_modules/.bin/promptfoo')],
    ['npx', '--no-install', 'promptfoo'],
  ];
  for (const cmd of candidates) {
    try {
      await execFileAsync(cmd[0], [...cmd.slice(1), '--version'], { timeout: 60_000 });
      return { cmd };
    } catch {
      // next candidate
    }
  }
  return { missing: 'no promptfoo binary (set PROMPTFOO_BIN, or npm i -D promptfoo)' };
}

async function runPromptfoo(cmd: string[]) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-bench-promptfoo-'));
  try {
    const prompt = JSON.stringify([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: '{{question}}' },
    ]);
    const config = {
      description: 'evalforge bench:runs',
      prompts: [prompt],
      providers: [{ id: `openai:chat:${MODEL}`, config: { apiBaseUrl: llm.openaiBaseUrl, apiKey: 'bench' } }],
      tests: 'file://tests.csv',
    };
    await fs.writeFile(path.join(dir, 'promptfooconfig.json'), JSON.stringify(config));
    const rows = Array.from({ length: opts.samples }, (_, i) => `"${question(i)}"`);
    await fs.writeFile(path.join(dir, 'tests.csv'), `question\n${rows.join('\n')}\n`);
    const out = path.join(dir, 'out.json');
    const env = {
      ...process.env,
      PROMPTFOO_CONFIG_DIR: path.join(dir, 'home'),
      PROMPTFOO_DISABLE_TELEMETRY: '1',
      PROMPTFOO_DISABLE_UPDATE: '1',
      PROMPTFOO_DISABLE_SHARING: '1',
      PROMPTFOO_DISABLE_REMOTE_GENERATION: '1',
      OPENAI_API_KEY: 'bench',
    };
    const argv = [
      ...cmd.slice(1),
      'eval',
      '-c',
      'promptfooconfig.json',
      '-j',
      String(opts.concurrency),
      '--no-cache',
      '--no-write',
      '--no-table',
      '--no-progress-bar',
      '-o',
      out,
    ];
    const stderr: string[] = [];
    const started = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(cmd[0], argv, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (c: Buffer) => stderr.push(c.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), PROMPTFOO_TIMEOUT_MS);
      child.once('error', reject);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const seconds = (performance.now() - started) / 1000;
    const report = JSON.parse(await fs.readFile(out, 'utf8').catch(() => 'null'));
    if (!report) throw new Error(`promptfoo exited ${code}: ${stderr.join('').slice(-2_000)}`);
    const results: Array<{ success?: boolean; response?: { output?: unknown; error?: unknown } }> =
      report.results?.results ?? [];
    const succeeded = results.filter((r) => r.response?.output && !r.response?.error).length;
    const durationMs: number | undefined = report.results?.stats?.durationMs;
    return { seconds, succeeded, innerSeconds: durationMs === undefined ? undefined : durationMs / 1000 };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const measurements: Measurement[] = [];
const notes: string[] = [];
try {
  const rig = await startEvalForge();
  const promptfoo = args.promptfoo ? await findPromptfoo() : { missing: 'skipped (--no-promptfoo)' };
  if ('missing' in promptfoo) notes.push(`promptfoo not measured: ${promptfoo.missing}`);

  for (let repetition = 1; repetition <= opts.repeat; repetition++) {
    const bare = await timed(bareLoop);
    measurements.push({ contender: 'bare', repetition, ...bare });

    let detail = { historyEvents: 0, executions: 0 };
    const evalforge = await timed(async () => {
      const r = await rig.runOnce();
      detail = r;
      return r.succeeded;
    });
    measurements.push({ contender: 'evalforge', repetition, ...evalforge, ...detail });

    if ('cmd' in promptfoo) {
      let innerSeconds: number | undefined;
      const pf = await timed(async () => {
        const r = await runPromptfoo(promptfoo.cmd);
        innerSeconds = r.innerSeconds;
        return r.succeeded;
      });
      measurements.push({ contender: 'promptfoo', repetition, ...pf, innerSeconds });
    }
  }

  const bareSeconds = new Map(
    measurements.filter((m) => m.contender === 'bare').map((m) => [m.repetition, m.seconds]),
  );
  const table = measurements.map((m) => ({
    contender: m.contender,
    rep: m.repetition,
    wall_s: +m.seconds.toFixed(2),
    samples_per_s: +(m.succeeded / m.seconds).toFixed(1),
    vs_bare: +(m.seconds / bareSeconds.get(m.repetition)!).toFixed(3),
    ok: m.succeeded,
    max_in_flight: m.maxInFlight,
    history_events: m.historyEvents ?? '',
    executions: m.executions ?? '',
    inner_s: m.innerSeconds === undefined ? '' : +m.innerSeconds.toFixed(2),
  }));
  console.table(table);
  for (const note of notes) console.log(note);
  const ratios = table.filter((r) => r.contender === 'evalforge').map((r) => r.vs_bare);
  const ideal = (opts.samples / opts.concurrency) * (opts.latencyMs / 1000);
  console.log(
    `ideal wall time ${ideal.toFixed(2)} s; evalforge vs bare ${ratios.join(', ')} (target ≤ ${TARGET_RATIO_VS_BARE})`,
  );
  console.log(
    JSON.stringify({
      benchmark: 'runs',
      node: process.version,
      cpus: os.cpus().length,
      loadavg: os.loadavg().map((l) => +l.toFixed(2)),
      options: opts,
      target_ratio_vs_bare: TARGET_RATIO_VS_BARE,
      results: table,
      notes,
    }),
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.warn({ err }, 'cleanup'));
}
