/**
 * What the dashboard's end-to-end test runs against: the built dashboard (vite build), the real
 * API on a free port (createApp + @hono/node-server, test database, test Temporal namespace) and
 * Debian's chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createApp } from '../../api/app.js';
import { testProviderKeys } from '../../api/test-support.js';
import { createLogger } from '../../lib/logger.js';
import { PROJECT_ROOT } from '../../runtime/child-process.js';
import { TASK_QUEUES, type TaskQueueName } from '../../temporal.config.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../test/fakes/llm-server.js';
import {
  createTestDatabase,
  createTestTemporal,
  startInProcessWorker,
  type TestDatabase,
  type TestTemporal,
  testActivityDeps,
} from '../../test/helpers/index.js';

export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-artifacts/screenshots');
export const TEMPORAL_UI_URL = 'http://127.0.0.1:8233';
/** A laptop screen. */
export const VIEWPORT = { width: 1366, height: 860 };
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export interface Harness {
  db: TestDatabase;
  temporal: TestTemporal;
  baseUrl: string;
  browser: Browser;
  page: Page;
  /** Errors thrown in the page: a healthy dashboard has none. */
  pageErrors: string[];
  close(): Promise<void>;
}

function chromiumPath() {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
  }
}

/** Builds web/ as `npm run build:web` does, so the test sees the current source. */
export function buildDashboard() {
  execFileSync(
    path.join(PROJECT_ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: PROJECT_ROOT,
      stdio: 'pipe',
    },
  );
}

export async function startHarness(): Promise<Harness> {
  buildDashboard();
  const [db, temporal] = await Promise.all([createTestDatabase(), createTestTemporal()]);
  const app = createApp({
    dataSource: db.dataSource,
    temporal: temporal.client,
    logger: createLogger('e2e-api', 'silent'),
    mode: 'dev',
    temporalUiUrl: TEMPORAL_UI_URL,
    // A fresh EVALFORGE_ENCRYPTION_KEY, as the API tests have: provider secrets can be stored.
    providerKeys: testProviderKeys(),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_FLAGS,
    headless: true,
  });
  const page = await browser.newPage({ viewport: VIEWPORT });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    db,
    temporal,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      // Open event streams would hold close() forever.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise((r) => server.close(r));
      await temporal.close();
      await db.drop();
    },
  };
}

export interface RunWorker {
  /** The local LLM server the run's endpoint points at (latency per model: setModelBehaviour). */
  llm: FakeLlmServer;
  stop(): Promise<void>;
}

/**
 * What real runs need beyond the harness: the local LLM server and an in-process worker for the
 * orchestration and model-call queues on the harness' namespace. Runs without judges only.
 */
export async function startRunWorker(
  h: Harness,
  opts: { queues?: TaskQueueName[] } = {},
): Promise<RunWorker> {
  const llm = await startFakeLlmServer({ seed: 1 });
  const worker = await startInProcessWorker({
    temporal: h.temporal,
    deps: testActivityDeps(h.db.dataSource),
    // Rule judges (assertions, format) need judges.cpu too: `queues` adds it.
    queues: opts.queues ?? [TASK_QUEUES.orchestration, TASK_QUEUES.llm],
  });
  return {
    llm,
    stop: async () => {
      await worker.stop();
      await llm.close();
    },
  };
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  const fullPage = opts.fullPage ?? true;
  // Sticky table headers follow the scroll position: a full-page capture of a scrolled page draws them over rows.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}
