/**
 * `npm start` end to end: the real supervisor with embedded PostgreSQL, the Temporal dev server
 * (with its Web UI), a worker and the API — started, checked, restarted and stopped like a user would.
 * Started as npm starts it (`sh -c "node --import tsx scripts/start.ts"`, or `npm start` itself).
 * runtime/supervisor-process.test.ts covers the same supervision with stand-in children, every way.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../temporal.config.js';
import { type FakeLlmServer, startFakeLlmServer } from '../test/fakes/llm-server.js';
import { createProjectFixture } from '../test/fixtures/projects.js';
import {
  createTestDatabase,
  freePort,
  isPortOpen,
  isProcessAlive,
  type TestDatabase,
} from '../test/helpers/index.js';
import { PROJECT_ROOT, readProc, signalGroup } from './child-process.js';
import { type StackInfo, workerProcesses } from './supervisor.js';

const START_TIMEOUT_MS = 120_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** As `npm start` runs it (`sh -c` with npm's command line), or `npm start` itself. */
function startSupervisor(env: NodeJS.ProcessEnv, via: 'sh' | 'npm' = 'sh'): Started {
  const cleanEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'EVALFORGE_MODE', 'HOST']) delete cleanEnv[key];
  // Its own process group, like a shell job, so the test can send Ctrl-C to the whole group.
  const options: SpawnOptions = {
    cwd: PROJECT_ROOT,
    env: { ...cleanEnv, LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  };
  const child =
    via === 'npm'
      ? spawn('npm', ['start'], options)
      : spawn('sh', ['-c', 'node --import tsx scripts/start.ts'], options);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * If a test fails midway, leave nothing running for the next one: SIGKILL the launcher's group (npm,
 * sh, supervisor), then wait for what the supervisor started to stop (its reaper and the children's
 * parent watch see to that), and SIGKILL what has not.
 */
async function killGroup(started: Started, dataDir?: string) {
  if (started.child.exitCode === null && started.child.signalCode === null) {
    signalGroup(started.child.pid!, 'SIGKILL');
    await started.exited;
  }
  const info = dataDir ? await allPids(dataDir).catch(() => null) : null;
  if (!info) return;
  const left = await stillRunning(
    Object.values(info.pids).filter((p) => p !== undefined),
    30_000,
  );
  for (const pid of left) signalGroup(pid, 'SIGKILL');
}

async function waitForHealth(url: string, started: Started, timeoutMs = START_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`supervisor exited early:\n${started.output()}`);
    const res = await fetch(`${url}/api/health`).catch(() => null);
    if (res?.status === 200) return res.json();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no healthy API within ${timeoutMs} ms:\n${started.output()}`);
}

async function allPids(dataDir: string): Promise<StackInfo> {
  return JSON.parse(await fs.readFile(path.join(dataDir, 'supervisor.json'), 'utf8'));
}

/** Polls until none of `pids` runs; returns those still running after `timeoutMs`. */
async function stillRunning(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isProcessAlive);
  while (alive.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    alive = pids.filter(isProcessAlive);
  }
  return alive;
}

describe('worker processes of npm start', () => {
  it('puts the judges queues in a process of their own when there are other queues too', () => {
    expect(workerProcesses(ALL_TASK_QUEUES)).toEqual([
      { name: 'worker', queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm] },
      { name: 'judgesWorker', queues: [TASK_QUEUES.judgesCpu, TASK_QUEUES.judgesGpu] },
    ]);
    // EVALFORGE_WORKER_QUEUES naming one kind only: one process, as asked.
    expect(workerProcesses([TASK_QUEUES.llm])).toEqual([{ name: 'worker', queues: [TASK_QUEUES.llm] }]);
    expect(workerProcesses([TASK_QUEUES.judgesCpu])).toEqual([
      { name: 'worker', queues: [TASK_QUEUES.judgesCpu] },
    ]);
  });
});

describe('npm start (supervisor)', () => {
  let dataDir: string;
  const ports = { api: 0, pg: 0, temporal: 0, ui: 0, localLlm: 0 };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-start-'));
    ports.api = await freePort();
    ports.pg = await freePort();
    ports.temporal = await freePort();
    ports.ui = await freePort();
    ports.localLlm = await freePort();
    env = {
      EVALFORGE_LOCAL_LLM_PORT: String(ports.localLlm),
      EVALFORGE_DATA_DIR: dataDir,
      PORT: String(ports.api),
      EVALFORGE_PG_PORT: String(ports.pg),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
    };
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('starts everything on embedded defaults, survives a worker crash, and Ctrl-C leaves no process', async () => {
    const started = startSupervisor(env);
    onTestFinished(() => killGroup(started, dataDir));
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const health = await waitForHealth(apiUrl, started);
    expect(health).toMatchObject({
      status: 'ok',
      mode: 'dev',
      database: { status: 'up' },
      temporal: { status: 'up' },
    });
    expect(health.temporal.ui_url).toBe(`http://127.0.0.1:${ports.ui}`);

    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    expect(ui.status).toBe(200);

    const info = await allPids(dataDir);
    expect(info.databaseEmbedded).toBe(true);
    // The local LLM runs because `npm run models` (run before tests) put its model file in place.
    // The judges' queues run in a worker process of their own (inference would stall model calls).
    expect(Object.keys(info.pids).sort()).toEqual([
      'api',
      'judgesWorker',
      'localLlm',
      'postgres',
      'postgresRunner',
      'reaper',
      'supervisor',
      'temporal',
      'worker',
    ]);

    // A fresh install gets the demo project and its first eval run, on the local SmolLM2 endpoint.
    const demoRuns = async () => {
      const res = await fetch(`${apiUrl}/api/eval/runs?limit=10`);
      return ((await res.json()) as { items: Array<{ endpoint_id: string; status: string }> }).items;
    };
    await expect.poll(async () => (await demoRuns()).length, { timeout: 30_000, interval: 250 }).toBe(1);
    const [demoRun] = await demoRuns();
    expect(['pending', 'running']).toContain(demoRun.status);
    const endpoint = await (await fetch(`${apiUrl}/api/endpoints/${demoRun.endpoint_id}`)).json();
    expect(endpoint).toMatchObject({ model_name: 'smollm2-135m-instruct', api_key_env: null });

    // Data written now must survive the restart below.
    const password = (await fs.readFile(path.join(dataDir, 'postgres.password'), 'utf8')).trim();
    const client = new pg.Client({
      connectionString: `postgres://evalforge:${encodeURIComponent(password)}@127.0.0.1:${ports.pg}/evalforge`,
    });
    await client.connect();
    await client.query(`INSERT INTO projects (name) VALUES ('survives restarts')`);
    await client.end();

    // A crashed worker is restarted by the supervisor.
    process.kill(info.pids.worker!, 'SIGKILL');
    await expect
      .poll(async () => (await allPids(dataDir)).pids.worker, { timeout: 60_000, interval: 250 })
      .not.toBe(info.pids.worker);
    const restartedWorker = (await allPids(dataDir)).pids.worker!;
    expect(isProcessAlive(restartedWorker)).toBe(true);

    // Ctrl-C in a terminal signals the whole foreground process group.
    process.kill(-started.child.pid!, 'SIGINT');
    await started.exited; // npm's `sh -c` ends as its shell does on SIGINT; the supervisor stopped cleanly
    expect(started.output()).toMatch(/"msg":"stopped"/);
    const pids = Object.values({ ...info.pids, worker: restartedWorker }) as number[];
    for (const pid of pids) expect(isProcessAlive(pid), `pid ${pid}`).toBe(false);
    for (const port of Object.values(ports)) expect(await isPortOpen(port), `port ${port}`).toBe(false);
    await expect(fs.access(path.join(dataDir, 'supervisor.json'))).rejects.toThrow();
  }, 240_000);

  it('keeps its data across restarts and stops cleanly on SIGTERM', async () => {
    const started = startSupervisor(env);
    onTestFinished(() => killGroup(started, dataDir));
    await waitForHealth(`http://127.0.0.1:${ports.api}`, started);
    const info = await allPids(dataDir);

    const password = (await fs.readFile(path.join(dataDir, 'postgres.password'), 'utf8')).trim();
    const client = new pg.Client({
      connectionString: `postgres://evalforge:${encodeURIComponent(password)}@127.0.0.1:${ports.pg}/evalforge`,
    });
    await client.connect();
    const { rows } = await client.query(`SELECT name FROM projects WHERE name = 'survives restarts'`);
    await client.end();
    expect(rows).toHaveLength(1);

    // What npm does with a SIGTERM it gets: passes it to its `sh -c`, which dies of it and leaves the
    // supervisor behind; the supervisor notices its parent is gone and stops every process it started.
    process.kill(started.child.pid!, 'SIGTERM');
    await started.exited;
    expect(await stillRunning(Object.values(info.pids) as number[], 60_000)).toEqual([]);
    await expect(fs.access(path.join(dataDir, 'supervisor.json'))).rejects.toThrow();
  }, 240_000);
});

describe('npm start without the Temporal CLI', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('exits with a message naming the fix', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-nocli-'));
    const started = startSupervisor({
      EVALFORGE_DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      TEMPORAL_CLI_PATH: '/nonexistent/temporal',
      PORT: String(await freePort()),
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/npm run setup/);
    expect(started.output()).toMatch(/TEMPORAL_CLI_PATH/);
    await fs.rm(dataDir, { recursive: true, force: true });
  });
});

/**
 * Issue 20: the Temporal dev server and the local model server come back when killed, an eval run that
 * was in flight when Temporal died completes after its restart, and SIGINT to the `npm start` process
 * (which npm's `sh -c` does not pass on) stops everything. On the PostgreSQL of the test run, with a
 * fake model endpoint that holds its answers until Temporal is back, so the run is mid-flight for sure.
 */
describe('npm start: Temporal and the model server come back; SIGINT to npm stops it all', () => {
  let db: TestDatabase;
  let llm: FakeLlmServer;
  const answers = Promise.withResolvers<void>();
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    llm = await startFakeLlmServer({
      respond: async () => {
        await answers.promise;
        return undefined;
      },
    });
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-restarts-'));
  });
  afterAll(async () => {
    answers.resolve();
    await llm?.close();
    await db?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('restarts them, finishes the run, and leaves nothing after SIGINT to npm', async () => {
    // A project of our own: the demo is not seeded (not empty) and no demo run loads the CPU.
    const fx = await createProjectFixture(db.dataSource, { samples: 4, endpointUrl: llm.openaiBaseUrl });
    const ports = { api: 0, temporal: 0, ui: 0, localLlm: 0 };
    for (const key of Object.keys(ports) as Array<keyof typeof ports>) ports[key] = await freePort();
    const started = startSupervisor(
      {
        DATABASE_URL: db.url,
        EVALFORGE_DATA_DIR: dataDir,
        PORT: String(ports.api),
        TEMPORAL_PORT: String(ports.temporal),
        TEMPORAL_UI_PORT: String(ports.ui),
        EVALFORGE_LOCAL_LLM_PORT: String(ports.localLlm),
        EVALFORGE_DEMO_RUN: '0',
      },
      'npm',
    );
    const seen = new Set<number>([started.child.pid!]);
    onTestFinished(async () => {
      for (const pid of seen) signalGroup(pid, 'SIGKILL');
      await killGroup(started, dataDir);
    });
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    await waitForHealth(apiUrl, started, 240_000);
    const info = await allPids(dataDir);
    for (const pid of Object.values(info.pids)) if (pid) seen.add(pid);
    const shell = readProc(info.supervisorPid)?.ppid;
    if (shell) seen.add(shell);
    expect(info.pids.localLlm, 'the local model server runs (npm run models)').toBeDefined();

    // An eval run, in flight: its first model call is waiting on the fake endpoint.
    const res = await fetch(`${apiUrl}/api/eval/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        project_id: fx.project.id,
        dataset_id: fx.dataset.id,
        endpoint_id: fx.endpoint.id,
      }),
    });
    expect(res.status).toBe(201);
    const run = (await res.json()) as { id: string };
    await expect.poll(() => llm.stats().total, { timeout: 120_000, interval: 250 }).toBeGreaterThan(0);

    // Temporal dies; the supervisor restarts it on the same SQLite file.
    const killedAt = Date.now();
    process.kill(info.pids.temporal!, 'SIGKILL');
    await expect
      .poll(async () => (await allPids(dataDir)).pids.temporal, { timeout: 120_000, interval: 100 })
      .not.toBe(info.pids.temporal);
    const temporalBackMs = Date.now() - killedAt;
    const health = async () => (await (await fetch(`${apiUrl}/api/health`)).json()).temporal?.status;
    await expect.poll(health, { timeout: 60_000, interval: 100 }).toBe('up');
    const healthyMs = Date.now() - killedAt;
    console.info(`Temporal SIGKILLed: restarted in ${temporalBackMs} ms, API healthy in ${healthyMs} ms`);
    expect(started.output()).toMatch(/temporal exited unexpectedly \(killed by SIGKILL\); restarting/);

    // The run started before the kill completes after the restart, on the worker that rode it out.
    answers.resolve();
    const status = async () =>
      ((await (await fetch(`${apiUrl}/api/eval/runs/${run.id}`)).json()) as { status: string }).status;
    await expect.poll(status, { timeout: 180_000, interval: 500 }).toBe('completed');
    const afterTemporal = await allPids(dataDir);
    expect(afterTemporal.pids.worker, 'the worker rode the restart out').toBe(info.pids.worker);
    expect(afterTemporal.pids.api).toBe(info.pids.api);
    seen.add(afterTemporal.pids.temporal!);

    // The local model server dies; it comes back on its port.
    const llmKilledAt = Date.now();
    process.kill(info.pids.localLlm!, 'SIGKILL');
    await expect
      .poll(async () => (await allPids(dataDir)).pids.localLlm, { timeout: 180_000, interval: 250 })
      .not.toBe(info.pids.localLlm);
    const models = await fetch(`http://127.0.0.1:${ports.localLlm}/v1/models`);
    expect(models.status).toBe(200);
    console.info(`local model server SIGKILLed: back in ${Date.now() - llmKilledAt} ms`);
    const final = await allPids(dataDir);
    for (const pid of Object.values(final.pids)) if (pid) seen.add(pid);

    // SIGINT to the npm process only (not its group): npm passes it on — to node itself, since the start
    // script execs it; to a `sh -c` that keeps it where a shell sits in between (the /proc watch).
    const stopAt = Date.now();
    process.kill(started.child.pid!, 'SIGINT');
    expect(await stillRunning([...seen], 60_000), started.output()).toEqual([]);
    console.info(`SIGINT to npm: every process gone in ${Date.now() - stopAt} ms`);
    await started.exited;
    expect(started.output()).toMatch(/"signal":"SIGINT"|parent shell \d+ was signalled.*shutting down/);
    for (const port of Object.values(ports)) expect(await isPortOpen(port), `port ${port}`).toBe(false);
    await expect(fs.access(path.join(dataDir, 'supervisor.json'))).rejects.toThrow();
  }, 600_000);
});
