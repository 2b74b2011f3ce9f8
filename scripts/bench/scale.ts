/**
 * Scale benchmark (issue 8): `npm run bench:scale [-- --part runs|api] [--sizes 1000,10000,100000]`.
 *
 * runs: whole runs against the local fake LLM server (fast mode, LATENCY_MS per call) with the format and
 *   similarity judges, on worker processes started from the production entry point (scripts/worker.ts):
 *   wall time, samples/s, peak worker RSS, the largest workflow history of one execution, for each size
 *   with one worker, and for the two-worker size with two. Every run is checked: one result per sample
 *   and one score per judge and result, or the benchmark fails.
 * api: the results API (its own process, scripts/api.ts) over real HTTP on a run with API_SCORES judge scores (written straight with SQL),
 *   under a bounded load (API_REQUESTS requests, API_CONCURRENCY at once, 127.0.0.1 only): p50/p99 of
 *   results pages (first, deep, filtered) and of the compare endpoint; EXPLAIN ANALYZE of the page queries.
 *   BENCH_API_NODE_ARGS passes Node flags to the API process (`--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it).
 *
 * Everything runs in throwaway databases (TEST_PG_ADMIN_URL) and a Temporal dev server of its own; all
 * of it is stopped at the end, and the whole script is bounded by BENCH_DEADLINE_MS.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { ApiDeps } from '../../api/deps.js';
import { startRun } from '../../api/services/runs.js';
import {
  type ManagedChild,
  PROJECT_ROOT,
  spawnNodeChild,
  WORKER_NODE_ARGS,
} from '../../runtime/child-process.js';
import { startFakeLlmServer } from '../../test/fakes/llm-server.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { freePort } from '../../test/helpers/ports.js';
import {
  createThrowawayDatabase,
  pgAdminUrlFromEnv,
  type ThrowawayDatabase,
} from '../../test/helpers/throwaway-database.js';
import type { EvalRunOutcome } from '../../workflows/index.js';
import { benchLogger, exitAfter, historyOf, startBenchTemporal } from './common.js';

const DEFAULT_SIZES = [1_000, 10_000, 100_000];
/** The size also run with two worker processes. */
const TWO_WORKER_SIZE = 10_000;
const LATENCY_MS = 5;
const CONCURRENCY = 64;
const JUDGES = [
  { judge_type: 'format', threshold: 1, config: { max_length: 2_000 } },
  { judge_type: 'similarity', threshold: 0.3 },
];
const RSS_SAMPLE_MS = 500;
const TARGET_RSS_MB = 1_024;
const TARGET_HISTORY_EVENTS = 10_000;

/** A run with this many judge scores: API_SAMPLES results × API_JUDGES judges (and a baseline as big). */
const API_SAMPLES = 200_000;
const API_JUDGES = ['format', 'pii', 'similarity', 'toxicity', 'llm_judge'];
const API_REQUESTS = 300;
/** Untimed requests before the clock runs, spread over every case. */
const API_WARM_UP_REQUESTS = 300;
const API_CONCURRENCY = 4;
const API_PAGE = 50;
const TARGET_PAGE_P99_MS = 50;

const BENCH_DEADLINE_MS = 80 * 60_000;

const { values: args } = parseArgs({
  options: {
    part: { type: 'string', default: 'all' },
    sizes: { type: 'string', default: DEFAULT_SIZES.join(',') },
    'two-workers': { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const sizes = args.sizes.split(',').map(Number);
if (!['all', 'runs', 'api'].includes(args.part) || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
  console.error(
    'usage: npm run bench:scale -- [--part all|runs|api] [--sizes 1000,10000] [--no-two-workers]',
  );
  process.exit(2);
}

exitAfter(BENCH_DEADLINE_MS, 'bench:scale');

const logger = benchLogger();
const cleanups: Array<() => Promise<unknown>> = [];
const report: Record<string, unknown> = {
  benchmark: 'scale',
  node: process.version,
  cpus: os.cpus().length,
  cpu_model: os.cpus()[0]?.model,
  memory_gb: +(os.totalmem() / 2 ** 30).toFixed(1),
};

/** Resident set size of a process tree's root, in MiB (Linux /proc). */
async function rssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

async function runScaling() {
  const llm = await startFakeLlmServer({ latency: LATENCY_MS, fast: true });
  cleanups.push(() => llm.close());
  const temporalServer = await startBenchTemporal(cleanups);
  const connection = await Connection.connect({ address: temporalServer.address });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace: 'default' });
  // Bundled once: every worker process starts from the same prebuilt workflow code.
  const bundleDir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-bench-scale-'));
  cleanups.push(() => fs.rm(bundleDir, { recursive: true, force: true }));
  const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(PROJECT_ROOT, 'workflows/index.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  await fs.writeFile(bundlePath, bundle.code);

  const configs = sizes.map((samples) => ({ samples, workers: 1 }));
  if (args['two-workers']) configs.push({ samples: TWO_WORKER_SIZE, workers: 2 });
  const rows: Record<string, unknown>[] = [];
  for (const { samples, workers } of configs) {
    const db = await createThrowawayDatabase({
      adminUrl: pgAdminUrlFromEnv(),
      prefix: 'evalforge_bench_scale',
      applicationName: 'evalforge-bench',
      poolSize: 4,
    });
    const children: ManagedChild[] = [];
    try {
      for (let w = 0; w < workers; w++) {
        const child = spawnNodeChild(`bench-worker-${w}`, path.join(PROJECT_ROOT, 'scripts/worker.ts'), {
          nodeArgs: WORKER_NODE_ARGS,
          env: {
            ...process.env,
            DATABASE_URL: db.url,
            TEMPORAL_ADDRESS: temporalServer.address,
            TEMPORAL_NAMESPACE: 'default',
            LOG_LEVEL: 'warn',
            EVALFORGE_WORKFLOW_BUNDLE: bundlePath,
          },
        });
        children.push(child);
        await child.ready;
      }
      const fx = await createProjectFixture(db.dataSource, {
        samples,
        endpointUrl: llm.openaiBaseUrl,
        endpointConfig: { concurrency: CONCURRENCY },
        guardrails: JUDGES,
      });
      const apiDeps: ApiDeps = {
        dataSource: db.dataSource,
        temporal: client,
        logger,
        mode: 'dev',
        temporalUiUrl: null,
      };
      let peakRss = 0;
      const sampler = setInterval(async () => {
        for (const child of children) peakRss = Math.max(peakRss, await rssMb(child.process.pid!));
      }, RSS_SAMPLE_MS);
      const started = performance.now();
      const { run } = await startRun(apiDeps, {
        project_id: fx.project.id,
        dataset_id: fx.dataset.id,
        endpoint_id: fx.endpoint.id,
        trigger_type: 'manual',
      });
      const outcome: EvalRunOutcome = await client.workflow.getHandle(run.workflow_id!).result();
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      for (const child of children) peakRss = Math.max(peakRss, await rssMb(child.process.pid!));
      if (outcome.status !== 'completed') throw new Error(`run of ${samples} ended ${outcome.status}`);
      const [counts] = await db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM eval_results WHERE run_id = $1) AS results,
                (SELECT count(DISTINCT sample_id)::int FROM eval_results WHERE run_id = $1) AS samples,
                (SELECT count(*)::int FROM judge_scores WHERE run_id = $1) AS scores,
                (SELECT count(*)::int FROM judge_scores WHERE run_id = $1 AND error IS NOT NULL) AS judge_errors`,
        [run.id],
      );
      if (
        counts.results !== samples ||
        counts.samples !== samples ||
        counts.scores !== samples * JUDGES.length
      )
        throw new Error(`run of ${samples}: ${JSON.stringify(counts)}`);
      const history = await historyOf(client, run.workflow_id!);
      rows.push({
        samples,
        workers,
        wall_s: +seconds.toFixed(1),
        samples_per_s: +(samples / seconds).toFixed(1),
        peak_worker_rss_mb: Math.round(peakRss),
        largest_history: history.largestExecution,
        executions: history.executions,
        judge_scores: counts.scores,
        judge_errors: counts.judge_errors,
      });
      console.log(JSON.stringify({ part: 'runs', ...rows.at(-1) }));
    } finally {
      for (const child of children) await child.stop();
      await db.drop();
    }
  }
  console.table(rows);
  const one = rows.filter((r) => r.workers === 1);
  const perSample = one.map((r) => ((r.wall_s as number) / (r.samples as number)) * 1000);
  const two = rows.find((r) => r.workers === 2);
  const oneAtTwo = rows.find((r) => r.workers === 1 && r.samples === TWO_WORKER_SIZE);
  const summary = {
    ms_per_sample_by_size: Object.fromEntries(one.map((r, i) => [r.samples, +perSample[i].toFixed(2)])),
    two_worker_speedup:
      two && oneAtTwo ? +((oneAtTwo.wall_s as number) / (two.wall_s as number)).toFixed(2) : null,
    peak_rss_within_target: rows.every((r) => (r.peak_worker_rss_mb as number) < TARGET_RSS_MB),
    history_within_target: rows.every((r) => (r.largest_history as number) < TARGET_HISTORY_EVENTS),
  };
  console.log(
    `ms per sample by size ${JSON.stringify(summary.ms_per_sample_by_size)} (linear growth = flat); ` +
      `1 → 2 workers at ${TWO_WORKER_SIZE}: ×${summary.two_worker_speedup ?? '–'}; ` +
      `RSS < ${TARGET_RSS_MB} MiB: ${summary.peak_rss_within_target}; history < ${TARGET_HISTORY_EVENTS}: ${summary.history_within_target}`,
  );
  report.runs = {
    options: { latency_ms: LATENCY_MS, concurrency: CONCURRENCY, judges: JUDGES.map((j) => j.judge_type) },
    rows,
    summary,
  };
}

/** Two completed runs over the same API_SAMPLES samples, with API_JUDGES scores per result. */
async function seedScores(db: ThrowawayDatabase) {
  const fx = await createProjectFixture(db.dataSource, {
    samples: API_SAMPLES,
    sample: (i) => ({ metadata: { category: ['billing', 'shipping', 'policy', 'returns'][i % 4] } }),
  });
  const runIds: string[] = [];
  for (const shift of [0, 0.03]) {
    const [{ id }] = await db.dataSource.query(
      `INSERT INTO eval_runs (project_id, dataset_id, dataset_version_id, endpoint_id, status, trigger_type,
                              total_samples, started_at, completed_at)
       VALUES ($1, $2, $3, $4, 'completed', 'manual', $5, now(), now()) RETURNING id`,
      [fx.project.id, fx.dataset.id, fx.version.id, fx.endpoint.id, API_SAMPLES],
    );
    await db.dataSource.query(
      `INSERT INTO eval_results (run_id, sample_id, sample_position, repetition, status, llm_output,
                                 latency_ms, token_count_input, token_count_output, cost_usd, cached, attempts)
       SELECT $1, s.id, s.position, 0, 'succeeded', 'Answer ' || s.position || ': ' || repeat('lorem ipsum ', 20),
              50 + (s.position % 200), 40, 60, 0.00012, false, 1
         FROM eval_samples s WHERE s.dataset_version_id = $2`,
      [id, fx.version.id],
    );
    // Scores vary by sample and judge (deterministically); the candidate is a little worse.
    await db.dataSource.query(
      `INSERT INTO judge_scores (result_id, run_id, judge_type, score, passed, details, model_id)
       SELECT r.id, r.run_id, j.judge_type, sc, sc >= 0.5, '{"note":"bench"}'::jsonb, 'bench-model'
         FROM eval_results r
         JOIN eval_samples s ON s.id = r.sample_id
         CROSS JOIN unnest($2::text[]) AS j(judge_type)
         CROSS JOIN LATERAL (SELECT greatest(0, least(1,
              ((hashtext(s.id::text || j.judge_type) & 1023) / 1023.0) - $3)) AS sc) x
        WHERE r.run_id = $1`,
      [id, API_JUDGES, shift],
    );
    runIds.push(id);
  }
  // As autovacuum would soon: visibility map set, so the covering index answers without the heap.
  await db.dataSource.query('VACUUM ANALYZE');
  // Flush the seeding's dirty pages now, so a checkpoint does not land in the middle of the measurements.
  await db.dataSource.query('CHECKPOINT').catch(() => {});
  return { baseline: runIds[0], candidate: runIds[1] };
}

/**
 * GETs over API_CONCURRENCY kept-alive sockets with node:http, as a load generator would: the client
 * shares this machine's two cores with the API and PostgreSQL, so it should spend as little as it can.
 */
function keepAliveGetter(port: number, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const get = (urlPath: string) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: urlPath, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
  return Object.assign(get, { agent });
}

async function apiLatency() {
  const db = await createThrowawayDatabase({
    adminUrl: pgAdminUrlFromEnv(),
    prefix: 'evalforge_bench_api',
    applicationName: 'evalforge-bench',
    poolSize: API_CONCURRENCY + 2,
  });
  cleanups.push(() => db.drop());
  const seedStarted = performance.now();
  const { baseline, candidate } = await seedScores(db);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const [{ scores }] = await db.dataSource.query(
    'SELECT count(*)::int AS scores FROM judge_scores WHERE run_id = $1',
    [candidate],
  );
  // The production API process (scripts/api.ts), so the load generator does not share its event loop.
  const temporalServer = await startBenchTemporal(cleanups);
  const port = await freePort();
  const api = spawnNodeChild('bench-api', path.join(PROJECT_ROOT, 'scripts/api.ts'), {
    nodeArgs: process.env.BENCH_API_NODE_ARGS?.split(' '),
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporalServer.address,
      EVALFORGE_MODE: 'dev',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
  });
  cleanups.push(() => api.stop());
  await api.ready;
  const get = keepAliveGetter(port, API_CONCURRENCY);
  cleanups.push(async () => get.agent.destroy());
  const deepOffset = API_SAMPLES - API_PAGE;
  const cases: Array<{ name: string; url: (i: number) => string }> = [
    { name: 'results, first page', url: () => `/api/eval/runs/${candidate}/results?limit=${API_PAGE}` },
    {
      name: 'results, random page',
      url: (i) =>
        `/api/eval/runs/${candidate}/results?limit=${API_PAGE}&offset=${((i * 7919) % (API_SAMPLES / API_PAGE)) * API_PAGE}`,
    },
    {
      name: 'results, last page',
      url: () => `/api/eval/runs/${candidate}/results?limit=${API_PAGE}&offset=${deepOffset}`,
    },
    {
      name: 'results, judge failed filter',
      url: () => `/api/eval/runs/${candidate}/results?limit=${API_PAGE}&judge=similarity&passed=false`,
    },
    {
      name: 'results, category filter',
      url: () => `/api/eval/runs/${candidate}/results?limit=${API_PAGE}&category=billing`,
    },
    {
      name: 'compare (tests + first side-by-side page)',
      url: () => `/api/eval/compare?run_ids=${baseline},${candidate}&limit=${API_PAGE}`,
    },
  ];
  // Each case's first request fills what the endpoint keeps (counts, a compared pair): timed on its own.
  const coldMs = new Map<string, number>();
  for (const c of cases) {
    const started = performance.now();
    const first = await get(c.url(0));
    if (first.status !== 200) throw new Error(`${c.name}: HTTP ${first.status} ${first.body}`);
    coldMs.set(c.name, performance.now() - started);
  }
  // Then untimed requests, as any benchmark warms up: V8 compiles the hot paths, and this process (which
  // also seeded 200k samples) collects its garbage before the clock runs.
  for (let i = 0; i < API_WARM_UP_REQUESTS; i++) {
    await get(cases[i % cases.length].url(i));
  }
  const rows: Record<string, unknown>[] = [];
  for (const c of cases) {
    const times: number[] = [];
    let bytes = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: API_CONCURRENCY }, async () => {
        while (next < API_REQUESTS) {
          const i = next++;
          const t = performance.now();
          const res = await get(c.url(i));
          if (res.status !== 200) throw new Error(`${c.name}: HTTP ${res.status}`);
          times.push(performance.now() - t);
          bytes = res.body.length;
        }
      }),
    );
    times.sort((a, b) => a - b);
    rows.push({
      endpoint: c.name,
      first_ms: +coldMs.get(c.name)!.toFixed(1),
      requests: times.length,
      response_kb: +(bytes / 1024).toFixed(1),
      p50_ms: +percentile(times, 50).toFixed(1),
      p99_ms: +percentile(times, 99).toFixed(1),
      max_ms: +times.at(-1)!.toFixed(1),
    });
    console.log(JSON.stringify({ part: 'api', ...rows.at(-1) }));
  }
  console.table(rows);
  const explain = async (sql: string, params: unknown[]) =>
    (await db.dataSource.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params))
      .map((r: Record<string, string>) => r['QUERY PLAN'])
      .join('\n');
  // The statements listResults (api/services/run-results.ts) sends for these pages.
  const plans = {
    count: await explain('SELECT count(*)::int AS total FROM eval_results r WHERE r.run_id = $1', [
      candidate,
    ]),
    middle_page_ids_seek: await explain(
      `SELECT r.id FROM eval_results r WHERE r.run_id = $1 AND (r.sample_position, r.repetition) >= ($2, $3)
        ORDER BY r.sample_position, r.repetition LIMIT $4`,
      [candidate, API_SAMPLES / 2, 0, API_PAGE],
    ),
    middle_page_ids_walk: await explain(
      `SELECT r.id FROM eval_results r WHERE r.run_id = $1
        ORDER BY r.sample_position ASC, r.repetition ASC OFFSET $2 LIMIT $3`,
      [candidate, API_SAMPLES / 2 - API_PAGE, API_PAGE],
    ),
    last_page_ids_from_end: await explain(
      `SELECT r.id FROM eval_results r WHERE r.run_id = $1
        ORDER BY r.sample_position DESC, r.repetition DESC OFFSET $2 LIMIT $3`,
      [candidate, 0, API_PAGE],
    ),
    judge_filter_page_ids: await explain(
      `SELECT r.id FROM eval_results r WHERE r.run_id = $1 AND EXISTS (SELECT 1 FROM judge_scores j
          WHERE j.result_id = r.id AND j.judge_type = $2 AND j.passed = $3)
        ORDER BY r.sample_position ASC, r.repetition ASC OFFSET 0 LIMIT $4`,
      [candidate, 'similarity', false, API_PAGE],
    ),
  };
  for (const [name, plan] of Object.entries(plans)) console.log(`\nEXPLAIN ANALYZE (${name}):\n${plan}`);
  const pageRows = rows.filter((r) => String(r.endpoint).startsWith('results'));
  report.api = {
    run_scores: scores,
    seed_s: +seedSeconds.toFixed(1),
    options: { requests: API_REQUESTS, concurrency: API_CONCURRENCY, page: API_PAGE },
    rows,
    pages_p99_within_target: pageRows.every((r) => (r.p99_ms as number) < TARGET_PAGE_P99_MS),
    plans,
  };
  console.log(
    `run with ${scores} judge scores: page p99 < ${TARGET_PAGE_P99_MS} ms: ${report.api && (report.api as { pages_p99_within_target: boolean }).pages_p99_within_target}`,
  );
}

try {
  if (args.part !== 'api') await runScaling();
  if (args.part !== 'runs') await apiLatency();
  report.loadavg = os.loadavg().map((l) => +l.toFixed(2));
  console.log(JSON.stringify(report));
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.warn({ err }, 'cleanup'));
}
