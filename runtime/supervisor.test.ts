/**
 * `npm start` end to end: the real supervisor with embedded PostgreSQL, the Temporal dev server
 * (with its Web UI), a worker and the API — started, checked, restarted and stopped like a user would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  createTestDatabase,
  freePort,
  isPortOpen,
  isProcessAlive,
  type TestDatabase,
} from '../test/helpers/index.js';
import { PROJECT_ROOT } from './child-process.js';
import type { StackInfo } from './supervisor.js';

const START_TIMEOUT_MS = 120_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startSupervisor(env: NodeJS.ProcessEnv): Started {
  const cleanEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'EVALFORGE_MODE', 'HOST']) delete cleanEnv[key];
  // Its own process group, like a shell job, so the test can send Ctrl-C to the whole group.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...cleanEnv, LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

/** If a test fails midway, leave nothing running for the next one. */
async function killGroup(started: Started) {
  if (started.child.exitCode === null && started.child.signalCode === null) {
    try {
      process.kill(-started.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await started.exited;
  }
}

async function waitForHealth(url: string, started: Started) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`supervisor exited early:\n${started.output()}`);
    const res = await fetch(`${url}/api/health`).catch(() => null);
    if (res?.status === 200) return res.json();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no healthy API within ${START_TIMEOUT_MS} ms:\n${started.output()}`);
}

async function allPids(dataDir: string): Promise<StackInfo> {
  return JSON.parse(await fs.readFile(path.join(dataDir, 'supervisor.json'), 'utf8'));
}

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
    onTestFinished(() => killGroup(started));
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
    expect(Object.keys(info.pids).sort()).toEqual([
      'api',
      'localLlm',
      'postgres',
      'postgresRunner',
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
    expect(await started.exited).toBe(0);
    const pids = Object.values({ ...info.pids, worker: restartedWorker }) as number[];
    for (const pid of pids) expect(isProcessAlive(pid), `pid ${pid}`).toBe(false);
    for (const port of Object.values(ports)) expect(await isPortOpen(port), `port ${port}`).toBe(false);
    await expect(fs.access(path.join(dataDir, 'supervisor.json'))).rejects.toThrow();
  }, 240_000);

  it('keeps its data across restarts and stops cleanly on SIGTERM', async () => {
    const started = startSupervisor(env);
    onTestFinished(() => killGroup(started));
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

    // `kill <pid>` reaches only the supervisor; it must still stop every process it started.
    process.kill(started.child.pid!, 'SIGTERM');
    expect(await started.exited).toBe(0);
    for (const pid of Object.values(info.pids) as number[])
      expect(isProcessAlive(pid), `pid ${pid}`).toBe(false);
  });
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
