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
 *
 * `--faults` (issue 20): evalforge only, against a fake server with a seeded fault schedule (FAULT_RATES:
 * 429 with Retry-After 1 s, 500s, 40 s stragglers, malformed bodies). Prints the wall time, its ratio to
 * the schedule's ideal time (faultScheduleIdeal) and the longest stretches the endpoint had nothing to do.
 */

import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { DEFAULT_CHUNK_SIZE, defaultParallelChunks } from '../../activities/runs/chunking.js';
import { startRun } from '../../api/services/runs.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../core/endpoint-config.js';
import { EvalResult } from '../../db/entities/index.js';
import { installTemporalRuntime } from '../../runtime/worker.js';
import { type FaultRates, type FaultType, faultFromRates, unitHash } from '../../test/fakes/llm-faults.js';
import { startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import type { EvalRunOutcome } from '../../workflows/index.js';
import { benchLogger, benchMachine, exitAfter, historyOf, startBenchRunStack } from './common.js';
import { BENCH_MODEL, BENCH_SYSTEM_PROMPT, benchQuestion, findPromptfoo, runPromptfoo } from './promptfoo.js';

const DEFAULTS = {
  samples: 2_000,
  concurrency: 32,
  latencyMs: 100,
  repeat: 1,
};
/** `--faults`: the fault schedule of issue 20, decided per (seed, prompt, attempt number) by the fake. */
const FAULT_RATES: FaultRates = {
  rate_limit: 0.2,
  retryAfterSeconds: 1,
  server_error: 0.05,
  hang: 0.02,
  hangMs: 40_000,
  malformed_json: 0.01,
};
const FAULT_SEED = 20;
/** `--faults` defaults (1,000 samples take minutes here; `--samples 1000` for the figure). */
const FAULT_DEFAULTS = { samples: 300, concurrency: 16 };
/** Latencies vary by ±this share of --latency-ms under --faults, so p95/p99 mean something. */
const FAULT_LATENCY_JITTER = 1;
const TARGET_RATIO_VS_IDEAL = 2;
/** The whole script stops (and cleans up) after this long, whatever happens. */
const BENCH_DEADLINE_MS = 15 * 60_000;
/** promptfoo's own process (startup included) may take this long per repetition. */
const TARGET_RATIO_VS_BARE = 1.15;
/** The fixture's prompts (test/fixtures/projects.ts), so every contender sends the same requests. */

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string' },
    concurrency: { type: 'string' },
    'latency-ms': { type: 'string', default: String(DEFAULTS.latencyMs) },
    /** Unset: the product's defaults (activities/runs/chunking.ts), as a run started from the API gets. */
    'chunk-size': { type: 'string', default: String(DEFAULT_CHUNK_SIZE) },
    'parallel-chunks': { type: 'string' },
    repeat: { type: 'string', default: String(DEFAULTS.repeat) },
    promptfoo: { type: 'boolean', default: true },
    faults: { type: 'boolean', default: false },
  },
  allowNegative: true,
});
const faultMode = args.faults === true;
const opts = {
  samples: Number(args.samples ?? (faultMode ? FAULT_DEFAULTS.samples : DEFAULTS.samples)),
  concurrency: Number(args.concurrency ?? (faultMode ? FAULT_DEFAULTS.concurrency : DEFAULTS.concurrency)),
  latencyMs: Number(args['latency-ms']),
  chunkSize: Number(args['chunk-size']),
  repeat: Number(args.repeat),
  parallelChunks: 0,
};
/** Not passed to the run unless given: the plan derives it from the endpoint's concurrency. */
const parallelChunksGiven = args['parallel-chunks'] !== undefined;
opts.parallelChunks = parallelChunksGiven
  ? Number(args['parallel-chunks'])
  : defaultParallelChunks(opts.concurrency, opts.chunkSize);
if (!Object.values(opts).every((v) => Number.isInteger(v) && v >= 1)) {
  console.error(
    'usage: npm run bench:runs -- [--samples N] [--concurrency N] [--latency-ms N] [--chunk-size N] [--parallel-chunks N] [--repeat N] [--no-promptfoo] [--faults]',
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
const idle = idleTracker();
const faultLatency = { baseMs: opts.latencyMs, jitterMs: opts.latencyMs * FAULT_LATENCY_JITTER };
const llm = await startFakeLlmServer(
  faultMode
    ? { latency: faultLatency, fast: true, rates: FAULT_RATES, seed: FAULT_SEED, onRequestEvent: idle.on }
    : { latency: opts.latencyMs, fast: true },
);
cleanups.push(() => llm.close());

/**
 * Stretches during which the fake server had nothing to do: `none` with no request in flight at all;
 * `noLiveWork` with none in flight but stragglers that will not answer in time (issue 20's "no request at
 * all for ~125 of 239 s": the endpoint sat on its hung calls). Only stretches that end with a new
 * request count, so the time after the last response (the run being wrapped up) is not idle time.
 */
function idleTracker() {
  let all = 0;
  let live = 0;
  let noneSince: number | null = null;
  let noLiveSince: number | null = null;
  let longest = { none: 0, noLiveWork: 0 };
  let total = { none: 0, noLiveWork: 0 };
  /** What the last request to end before the longest no-live-work stretch was (a 429: a Retry-After pause). */
  let lastEnded: FaultType | 'ok' | null = null;
  let longestAfter: FaultType | 'ok' | null = null;
  /** Time-weighted count of live requests in flight (slot-milliseconds of useful work at the endpoint),
   * and per second of the run, so a timeline shows where the slots went unused. */
  let liveSlotMs = 0;
  let lastChange = performance.now();
  let perSecond: number[] = [];
  let origin = performance.now();
  const accrue = (now: number) => {
    // Spread the stretch since the last change over the seconds it covers.
    for (let second = Math.floor((lastChange - origin) / 1000); ; second++) {
      const from = Math.max(lastChange, origin + second * 1000);
      const to = Math.min(now, origin + (second + 1) * 1000);
      if (to > from) perSecond[second] = (perSecond[second] ?? 0) + (live * (to - from)) / 1000;
      if (to >= now) break;
    }
    liveSlotMs += live * (now - lastChange);
    lastChange = now;
  };
  const close = (since: number | null, now: number, key: 'none' | 'noLiveWork') => {
    if (since === null) return;
    if (key === 'noLiveWork' && now - since > longest.noLiveWork) longestAfter = lastEnded;
    longest[key] = Math.max(longest[key], now - since);
    total[key] += now - since;
  };
  return {
    on({ phase, fault }: { phase: 'start' | 'end'; fault: FaultType | null }) {
      const now = performance.now();
      accrue(now);
      const isLive = fault !== 'hang';
      if (phase === 'start') {
        if (all === 0) close(noneSince, now, 'none');
        if (live === 0) close(noLiveSince, now, 'noLiveWork');
        noneSince = null;
        noLiveSince = null;
        all++;
        if (isLive) live++;
      } else {
        all--;
        if (isLive) live--;
        lastEnded = fault ?? 'ok';
        if (all === 0) noneSince = now;
        if (live === 0 && noLiveSince === null) noLiveSince = now;
      }
      // A hang arriving while nothing else runs starts a no-live-work stretch at once.
      if (phase === 'start' && live === 0) noLiveSince = now;
    },
    reset() {
      noneSince = null;
      noLiveSince = null;
      longest = { none: 0, noLiveWork: 0 };
      total = { none: 0, noLiveWork: 0 };
      longestAfter = null;
      liveSlotMs = 0;
      perSecond = [];
      origin = lastChange = performance.now();
    },
    seconds: () => ({
      longestNone: longest.none / 1000,
      longestNoLiveWork: longest.noLiveWork / 1000,
      totalNone: total.none / 1000,
      totalNoLiveWork: total.noLiveWork / 1000,
      longestAfter,
      liveSlotSeconds: liveSlotMs / 1000,
      /** Mean live requests in flight in each second of the run. */
      timeline: Array.from(perSecond, (v) => +(v ?? 0).toFixed(1)),
    }),
  };
}

/**
 * The ideal wall time of the --faults schedule, in seconds: a lower bound no client can beat. The fake
 * decides each request's fault from (seed, prompt, how often that prompt was asked), so every sample's
 * chain of attempts until its first clean answer (or DEFAULT_MAX_ATTEMPTS) is known in advance. Each
 * attempt occupies a slot for its latency (a 500 or 429 answers at once: 0; a malformed body: its latency;
 * a hang: the longest normal latency, as if a client could tell at once that it is stuck). Two bounds:
 *  - work: all that slot time spread perfectly over `concurrency` slots (total work / concurrency);
 *  - chain: the slowest single sample, whose attempts are sequential and wait Retry-After after each of
 *    its 429s (other samples may use the slot meanwhile, so only the longest chain is unavoidable).
 * ideal = max(work, chain). It assumes a Retry-After binds the request that got it, not the endpoint;
 * `pausedWaves` is the stricter reading (every wave of `concurrency` attempts that draws a 429 stops the
 * whole endpoint for Retry-After), printed for reference.
 * Orchestration (workflow start, chunk dispatch, result writes) is overhead, not ideal time.
 */
function faultScheduleIdeal(samples: number, concurrency: number) {
  const rates = FAULT_RATES;
  const retryAfterMs = (rates.retryAfterSeconds ?? 0) * 1_000;
  const maxLatency = faultLatency.baseMs + faultLatency.jitterMs;
  /** Attempts by attempt number; -1 marks a 429 (for the paused-waves reading). */
  const rounds: number[][] = [];
  let workMs = 0;
  let chainMs = 0;
  let attempts = 0;
  for (let i = 0; i < samples; i++) {
    const promptKey = `${BENCH_MODEL}\n${BENCH_SYSTEM_PROMPT}\n${benchQuestion(i)}`;
    const latency =
      faultLatency.baseMs +
      unitHash(`${FAULT_SEED}:latency:${BENCH_MODEL}:${benchQuestion(i)}`) * faultLatency.jitterMs;
    let sampleMs = 0;
    for (let nth = 0; nth < DEFAULT_MAX_ATTEMPTS; nth++) {
      const fault = faultFromRates(
        rates,
        unitHash(`${FAULT_SEED}:fault:${nth}:${promptKey}`),
        unitHash(`${FAULT_SEED}:5xx:${nth}:${promptKey}`),
      );
      const busy =
        fault === null || fault.type === 'malformed_json' ? latency : fault.type === 'hang' ? maxLatency : 0;
      workMs += busy;
      sampleMs += busy + (fault?.type === 'rate_limit' ? retryAfterMs : 0);
      if (!rounds[nth]) rounds[nth] = [];
      rounds[nth].push(fault?.type === 'rate_limit' ? -1 : busy);
      attempts++;
      if (fault === null) break;
    }
    chainMs = Math.max(chainMs, sampleMs);
  }
  let pausedWavesMs = 0;
  for (const round of rounds) {
    for (let w = 0; w < round.length; w += concurrency) {
      const wave = round.slice(w, w + concurrency);
      pausedWavesMs += Math.max(...wave, wave.includes(-1) ? retryAfterMs : 0);
    }
  }
  return {
    seconds: Math.max(workMs / concurrency, chainMs) / 1000,
    workSeconds: workMs / concurrency / 1000,
    chainSeconds: chainMs / 1000,
    pausedWavesSeconds: pausedWavesMs / 1000,
    attempts,
  };
}

async function timed(fn: () => Promise<number>) {
  llm.reset();
  idle.reset();
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
        model: BENCH_MODEL,
        messages: [
          { role: 'system', content: BENCH_SYSTEM_PROMPT },
          { role: 'user', content: benchQuestion(i) },
        ],
      });
      if (res.choices[0]?.message.content) succeeded += 1;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return succeeded;
}

interface EvalForgeRig {
  runOnce(): Promise<{
    succeeded: number;
    failed: number;
    /** Requests the results say were sent (hedged duplicates included). */
    attempts: number;
    historyEvents: number;
    executions: number;
  }>;
}

async function startEvalForge(): Promise<EvalForgeRig> {
  const { db, client, apiDeps } = await startBenchRunStack(cleanups, { logger });
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
        ...(parallelChunksGiven && { max_parallel_chunks: opts.parallelChunks }),
      });
      const outcome: EvalRunOutcome = await client.workflow.getHandle(run.workflow_id!).result();
      if (outcome.status !== 'completed') throw new Error(`run ${run.id} ended ${outcome.status}`);
      const succeeded = await db.dataSource
        .getRepository(EvalResult)
        .countBy({ run_id: run.id, status: 'succeeded' });
      const [counts] = await db.dataSource.query(
        `SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed, coalesce(sum(attempts), 0)::int AS attempts
           FROM eval_results WHERE run_id = $1`,
        [run.id],
      );
      const history = await historyOf(client, run.workflow_id!);
      return {
        succeeded,
        failed: counts.failed,
        attempts: counts.attempts,
        historyEvents: history.totalEvents,
        executions: history.executions,
      };
    },
  };
}

const measurements: Measurement[] = [];
const notes: string[] = [];
/** `--faults`: evalforge alone against the fault schedule; see faultScheduleIdeal and idleTracker. */
async function faultBench(rig: EvalForgeRig) {
  const ideal = faultScheduleIdeal(opts.samples, opts.concurrency);
  const rows = [];
  const timelines: number[][] = [];
  for (let repetition = 1; repetition <= opts.repeat; repetition++) {
    let detail = { failed: 0, attempts: 0 };
    const m = await timed(async () => {
      const r = await rig.runOnce();
      detail = r;
      return r.succeeded;
    });
    const gaps = idle.seconds();
    const stats = llm.stats();
    rows.push({
      rep: repetition,
      wall_s: +m.seconds.toFixed(1),
      ideal_s: +ideal.seconds.toFixed(1),
      vs_ideal: +(m.seconds / ideal.seconds).toFixed(2),
      vs_paused_waves: +(m.seconds / ideal.pausedWavesSeconds).toFixed(2),
      longest_idle_s: +gaps.longestNone.toFixed(2),
      longest_no_live_work_s: +gaps.longestNoLiveWork.toFixed(2),
      longest_after: gaps.longestAfter,
      total_no_live_work_s: +gaps.totalNoLiveWork.toFixed(1),
      mean_live_in_flight: +(gaps.liveSlotSeconds / m.seconds).toFixed(1),
      ok: m.succeeded,
      failed: detail.failed,
      attempts_recorded: detail.attempts,
      requests: stats.total,
      ideal_attempts: ideal.attempts,
      max_in_flight: m.maxInFlight,
      by_fault: JSON.stringify(stats.byFault),
    });
    timelines.push(gaps.timeline);
  }
  console.table(rows);
  for (const [i, timeline] of timelines.entries()) {
    console.log(`rep ${i + 1}: live requests in flight, mean per second: ${timeline.join(' ')}`);
  }
  const retryAfterS = FAULT_RATES.retryAfterSeconds ?? 0;
  console.log(
    `ideal ${ideal.seconds.toFixed(1)} s = max(work/concurrency ${ideal.workSeconds.toFixed(1)} s, slowest sample chain ${ideal.chainSeconds.toFixed(1)} s); ` +
      `endpoint-wide Retry-After pauses: ${ideal.pausedWavesSeconds.toFixed(1)} s; ` +
      `targets: wall ≤ ${TARGET_RATIO_VS_IDEAL}× ideal, longest no-live-work stretch ≤ ${retryAfterS} s`,
  );
  console.log(
    JSON.stringify({
      benchmark: 'runs-faults',
      ...benchMachine(),
      options: opts,
      fault_rates: FAULT_RATES,
      seed: FAULT_SEED,
      target_ratio_vs_ideal: TARGET_RATIO_VS_IDEAL,
      ideal,
      results: rows,
    }),
  );
}

try {
  const rig = await startEvalForge();
  if (faultMode) {
    await faultBench(rig);
  } else {
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
          const r = await runPromptfoo(promptfoo.cmd, {
            llmBaseUrl: llm.openaiBaseUrl,
            samples: opts.samples,
            concurrency: opts.concurrency,
          });
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
        ...benchMachine(),
        options: opts,
        target_ratio_vs_bare: TARGET_RATIO_VS_BARE,
        results: table,
        notes,
      }),
    );
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.warn({ err }, 'cleanup'));
}
