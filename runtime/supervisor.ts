/**
 * `npm start`: brings up PostgreSQL (embedded unless DATABASE_URL), applies migrations, starts the
 * Temporal dev server (unless TEMPORAL_ADDRESS), the local chat model server (when its model file is
 * there), one worker for the configured queues and the API,
 * restarts a crashed worker or API, and on SIGINT/SIGTERM stops everything in reverse order.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createDataSource, runMigrations } from '../db/data-source.js';
import type { Logger } from '../lib/logger.js';
import {
  type ManagedChild,
  manage,
  PROJECT_ROOT,
  spawnNodeChild,
  WORKER_NODE_ARGS,
} from './child-process.js';
import type { AppConfig } from './config.js';
import { startDemoRun } from './demo-run.js';
import { checkProviderSecretKeys, encryptionKeyEnv } from './encryption-key.js';
import { localLlmModelExists, localLlmModelPath } from './local-llm-model.js';
import { seedDemoIfEmpty } from './seed/index.js';
import { findTemporalCli, startTemporalDevServer } from './temporal-cli.js';

/** A child that crashes more often than this is not restarted; the stack stops instead. */
export const MAX_RESTARTS_PER_MINUTE = 5;
export const RESTART_DELAY_MS = 1_000;
/** Helpers the stack can run without: their exit is logged, not fatal. */
const OPTIONAL_CHILDREN = new Set(['local-llm']);

export interface StackInfo {
  supervisorPid: number;
  apiUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  databaseEmbedded: boolean;
  /** Every process this supervisor started, for operators and for "nothing left behind" checks. */
  pids: Record<string, number | undefined>;
}

export interface Stack {
  info: StackInfo;
  /** Resolves with the exit code when the stack has stopped (by stop() or a fatal failure). */
  done: Promise<number>;
  stop(): Promise<void>;
}

const scriptPath = (name: string) => path.join(PROJECT_ROOT, 'scripts', name);

/** Rejects as soon as `signal` aborts, so a Ctrl-C during start-up does not wait for a slow step. */
function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    ),
  ]);
}

/** Starts the stack; aborting `signal` during start-up stops whatever was already started. */
export async function startStack(config: AppConfig, logger: Logger, signal?: AbortSignal): Promise<Stack> {
  await fs.mkdir(config.dataDir, { recursive: true });
  const infoFile = path.join(config.dataDir, 'supervisor.json');
  await refuseIfAlreadyRunning(infoFile);

  // Stopped in reverse order of start.
  const started: ManagedChild[] = [];
  const supervisedChildren: SupervisedChild[] = [];
  const stopAll = async () => {
    for (const child of [...supervisedChildren].reverse()) await child.stop();
    for (const child of [...started].reverse()) {
      logger.info({ process: child.name }, 'stopping');
      await child.stop();
    }
  };

  try {
    const pids: StackInfo['pids'] = { supervisor: process.pid };

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const pg = spawnNodeChild('postgres', scriptPath('embedded-postgres.ts'), { env: process.env });
      started.push(pg);
      const ready = await unlessAborted(pg.ready, signal);
      databaseUrl = String(ready.url);
      pids.postgresRunner = pg.process.pid;
      pids.postgres = ready.pid as number | undefined;
    }

    const dataSource = createDataSource({
      url: databaseUrl,
      poolSize: 1,
      applicationName: 'evalforge-migrate',
    });
    await unlessAborted(dataSource.initialize(), signal);
    const applied = await runMigrations(dataSource);
    const demo = config.EVALFORGE_MODE === 'dev' ? await seedDemoIfEmpty(dataSource) : null;
    // Provider secrets' key: the environment's, or dev mode's key file; refuse to start without one when
    // secrets are stored; secrets under EVALFORGE_ENCRYPTION_KEY_PREVIOUS move to the current key.
    const keyEnv = await encryptionKeyEnv(config, logger);
    await checkProviderSecretKeys(dataSource, logger, {
      env: (name) => keyEnv[name] ?? process.env[name],
      reencrypt: true,
    }).finally(() => dataSource.destroy());
    logger.info(
      { applied: applied.map((m) => m.name), demo_project: demo?.projectId },
      'migrations up to date',
    );

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | null = null;
    if (!temporalAddress) {
      signal?.throwIfAborted();
      const server = await startTemporalDevServer({
        cliPath: findTemporalCli(),
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        namespace: config.TEMPORAL_NAMESPACE,
        onOutput: (line) => logger.debug({ temporal: line }),
      });
      started.push(manage('temporal', server.process, Promise.resolve({ type: 'ready' })));
      signal?.throwIfAborted();
      temporalAddress = server.address;
      temporalUiUrl = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
      pids.temporal = server.process.pid;
    }

    const localLlmUrl = await startLocalLlm(config, logger, started, pids, signal);

    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      EVALFORGE_MODE: config.EVALFORGE_MODE,
      EVALFORGE_WORKER_QUEUES: config.workerQueues.join(','),
      ...keyEnv,
      ...(temporalUiUrl ? { EVALFORGE_TEMPORAL_UI_URL: temporalUiUrl } : {}),
      ...(localLlmUrl ? { EVALFORGE_LOCAL_LLM_URL: localLlmUrl } : {}),
    };

    const info: StackInfo = {
      supervisorPid: process.pid,
      apiUrl: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.PORT}`,
      temporalAddress,
      temporalUiUrl,
      databaseEmbedded: !config.DATABASE_URL,
      pids,
    };
    const writeInfo = () => fs.writeFile(infoFile, `${JSON.stringify(info, null, 2)}\n`);
    let stopping = false;
    const fatal = Promise.withResolvers<number>();
    const supervised = (name: string, script: string) =>
      superviseChild(
        name,
        () =>
          spawnNodeChild(name, scriptPath(script), {
            env: childEnv,
            ...(name === 'worker' ? { nodeArgs: WORKER_NODE_ARGS } : {}),
          }),
        logger,
        {
          onStarted: (child) => {
            pids[name] = child.process.pid;
            void writeInfo();
          },
          onGiveUp: () => fatal.resolve(1),
        },
      );

    for (const [name, script] of [
      ['worker', 'worker.ts'],
      ['api', 'api.ts'],
    ]) {
      const child = supervised(name, script);
      supervisedChildren.push(child);
      await unlessAborted(child.ready, signal);
    }

    await writeInfo();

    if (demo && localLlmUrl && config.EVALFORGE_DEMO_RUN === '1') {
      // Not awaited by anything that matters: a demo that cannot start is one warning, not a failed start.
      await startDemoRun((p, init) => fetch(`${info.apiUrl}${p}`, init), demo).then(
        ({ runId }) =>
          logger.info(
            { runId, dashboard: `${info.apiUrl}/runs/${runId}` },
            'demo run started on the local SmolLM2 endpoint',
          ),
        (err: Error) => logger.warn({ err: err.message }, 'demo run not started'),
      );
    }

    // Postgres or Temporal dying is fatal: the worker and API cannot do anything useful without them.
    for (const child of started.filter((c) => !OPTIONAL_CHILDREN.has(c.name))) {
      void child.exited.then(() => {
        if (!stopping) {
          logger.error({ process: child.name }, 'exited unexpectedly; stopping the stack');
          fatal.resolve(1);
        }
      });
    }

    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        stopping = true;
        await stopAll();
        await fs.rm(infoFile, { force: true });
        logger.info('stopped');
      })();
      return stopped;
    };
    const done = fatal.promise.then(async (code) => {
      await stop();
      return code;
    });
    return {
      info,
      done,
      stop: async () => {
        fatal.resolve(0);
        await done;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * The optional local chat model server (for keyless demo evals): started when its model file is there
 * and EVALFORGE_LOCAL_LLM is not '0'. Never fatal: if it is missing or fails, the stack runs without it.
 */
async function startLocalLlm(
  config: AppConfig,
  logger: Logger,
  started: ManagedChild[],
  pids: StackInfo['pids'],
  signal?: AbortSignal,
): Promise<string | null> {
  if (config.EVALFORGE_LOCAL_LLM === '0') return null;
  if (!localLlmModelExists()) {
    logger.info(
      { modelPath: localLlmModelPath() },
      'local LLM skipped: model file missing (npm run models -- --only smollm2)',
    );
    return null;
  }
  const child = spawnNodeChild('local-llm', scriptPath('local-llm.ts'), { env: process.env });
  try {
    const ready = await unlessAborted(child.ready, signal);
    pids.localLlm = child.process.pid;
    void child.exited.then(({ code, signal: sig }) => {
      if (code !== 0 || sig) logger.warn({ process: 'local-llm', code, signal: sig }, 'local LLM exited');
    });
    started.push(child); // stopped in order with the rest; its exit is not fatal (OPTIONAL_CHILDREN)
    return String(ready.url);
  } catch (err) {
    signal?.throwIfAborted();
    await child.stop();
    logger.warn({ err: (err as Error).message }, 'local LLM failed to start; continuing without it');
    return null;
  }
}

interface SupervisedChild {
  /** Resolves once the first instance is ready (rejects if it never gets there). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Keeps one child running: restarts it after a crash, gives up when it crash-loops. Returns at once,
 * so the caller can stop it even while it is still starting. */
function superviseChild(
  name: string,
  spawnIt: () => ManagedChild,
  logger: Logger,
  hooks: { onStarted(child: ManagedChild): void; onGiveUp(): void },
): SupervisedChild {
  let current = spawnIt();
  let stopping = false;
  const crashes: number[] = [];

  const watch = (child: ManagedChild) => {
    void child.exited.then(async ({ code, signal }) => {
      if (stopping) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && now - crashes[0] > 60_000) crashes.shift();
      if (crashes.length > MAX_RESTARTS_PER_MINUTE) {
        logger.error({ process: name, code, signal }, 'crash loop; giving up');
        hooks.onGiveUp();
        return;
      }
      logger.warn({ process: name, code, signal }, 'exited unexpectedly; restarting');
      await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
      if (stopping) return;
      current = spawnIt();
      watch(current);
      current.ready.then(() => hooks.onStarted(current)).catch(() => {});
    });
  };
  const ready = current.ready.then(() => {
    hooks.onStarted(current);
    watch(current);
  });
  return {
    ready,
    stop: async () => {
      stopping = true;
      await current.stop();
    },
  };
}

async function refuseIfAlreadyRunning(infoFile: string) {
  const text = await fs.readFile(infoFile, 'utf8').catch(() => null);
  if (!text) return;
  const previous = JSON.parse(text) as StackInfo;
  let alive = false;
  try {
    process.kill(previous.supervisorPid, 0);
    alive = previous.supervisorPid !== process.pid;
  } catch {
    alive = false;
  }
  if (alive) {
    throw new Error(
      `another EvalForge (pid ${previous.supervisorPid}) is running on this data folder; ` +
        'stop it, or set EVALFORGE_DATA_DIR and the ports to run a second instance',
    );
  }
}
