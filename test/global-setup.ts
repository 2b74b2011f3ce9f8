/**
 * Once per `npm test`: a real PostgreSQL (the service on 127.0.0.1:5432 when it answers, else the
 * embedded one), a real Temporal dev server from the `temporal` CLI, and the workflow bundle built once.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type ManagedChild, spawnNodeChild } from '../runtime/child-process.js';
import { findTemporalCli, startTemporalDevServer } from '../runtime/temporal-cli.js';
import { WORKFLOWS_PATH } from '../runtime/worker.js';
import { freePort } from './helpers/ports.js';
import { pgAdminUrlFromEnv } from './helpers/throwaway-database.js';

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-test-'));
  await fs.chmod(tmp, 0o755);
  const cleanups: Array<() => Promise<void>> = [];

  let pgAdminUrl = pgAdminUrlFromEnv();
  if (!(await canConnect(pgAdminUrl))) {
    const port = await freePort();
    const child: ManagedChild = spawnNodeChild('test-postgres', 'scripts/embedded-postgres.ts', {
      env: { ...process.env, EVALFORGE_DATA_DIR: path.join(tmp, 'pg'), EVALFORGE_PG_PORT: String(port) },
    });
    const ready = await child.ready;
    const url = new URL(String(ready.url));
    url.pathname = '/postgres';
    pgAdminUrl = url.toString();
    cleanups.push(() => child.stop());
  }

  let temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const server = await startTemporalDevServer({
      cliPath: findTemporalCli(),
      port: await freePort(),
      uiPort: null,
    });
    temporalAddress = server.address;
    cleanups.push(() => server.stop());
  }

  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  const workflowBundlePath = path.join(tmp, 'workflow-bundle.js');
  await fs.writeFile(workflowBundlePath, bundle.code);

  project.provide('pgAdminUrl', pgAdminUrl);
  project.provide('temporalAddress', temporalAddress);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await fs.rm(tmp, { recursive: true, force: true });
  };
}

const noop = () => {};
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};
