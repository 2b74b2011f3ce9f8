/**
 * `npm start`: brings up PostgreSQL (embedded unless DATABASE_URL), applies migrations, starts the
 * Temporal dev server (unless TEMPORAL_ADDRESS), the local chat model server (when its model file is
 * there), one worker for the configured queues and the API, and keeps them running:
 *  - The Temporal dev server, the local model server, the worker and the API are restarted when they
 *    die (backoff, a restart budget per minute; every exit is logged with its code or signal). Temporal
 *    keeps its history in its SQLite file, so workflows in flight carry on after its restart. While it is
 *    down, the worker and API ride it out (their gRPC connections reconnect by themselves); one of them
 *    that dies meanwhile is restarted only once Temporal is back, so an outage never spends its budget.
 *  - PostgreSQL dying stops the stack (embedded or not, nothing works without it).
 *  - SIGINT, SIGTERM, SIGHUP, or the parent process (npm, its `sh -c`) going away stop everything in
 *    reverse order: API, worker, model server, Temporal, PostgreSQL, each with a bounded grace period.
 *    If this process is SIGKILLed, its orphan reaper stops what it started (child-process.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { JUDGE_QUEUES } from '../judges/judge-types.js';
import type { Logger } from '../lib/logger.js';
import type { TaskQueueName } from '../temporal.config.js';
import {
  type ChildExit,
  type ManagedChild,
  type OrphanReaper,
  PROJECT_ROOT,
  type ReadyMessage,
  STOP_GRACE_MS,
  spawnNodeChild,
  startOrphanReaper,
  WORKER_NODE_ARGS,
  watchParent,
} from './child-process.js';
import type { AppConfig } from './config.js';
import { localLlmModelExists, localLlmModelPath } from './local-llm-model.js';

export interface RestartPolicy {
  /** More unexpected exits than this within `windowMs` and the supervisor gives up on the child. */
  maxRestarts: number;
  windowMs: number;
  /** The first restart waits this long; each further exit within the window doubles it, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 60_000,
  initialDelayMs: 1_000,
  maxDelayMs: 15_000,
};
/** A child that exits more often than this in a minute is not restarted (the stack stops, unless optional). */
export const MAX_RESTARTS_PER_MINUTE = DEFAULT_RESTART_POLICY.maxRestarts;
export const RESTART_DELAY_MS = DEFAULT_RESTART_POLICY.initialDelayMs;

/** Wait before a restart, when this is the `recentExits`-th exit within the policy's window. */
export function restartDelay(policy: RestartPolicy, recentExits: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, recentExits - 1));
}

export function describeExit({ code, signal }: ChildExit): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

export interface ChildSpec {
  name: string;
  /** Starts one instance; its `ready` resolves once it serves. */
  spawn(): ManagedChild;
  /** false: an unexpected exit stops the stack instead (PostgreSQL). Default true. */
  restart?: boolean;
  /** The stack works without it: when the supervisor gives up on it, the stack runs on. */
  optional?: boolean;
  /** A restart waits until these are up (the worker and API wait for Temporal). */
  dependsOn?: SupervisedChild[];
  /** Every time an instance is ready (the first and each restart). */
  onReady?(child: ManagedChild, ready: ReadyMessage): void;
}

export interface SupervisedChild {
  readonly name: string;
  /** The first instance's ready message; rejects if it never gets there (nothing is restarted then). */
  readonly ready: Promise<ReadyMessage>;
  readonly current: ManagedChild;
  /** Ready and not exited since. */
  readonly up: boolean;
  readonly restarts: number;
  /** Resolves when it is up (at once if it is). */
  whenUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProcessSupervisorOptions {
  logger: Logger;
  policy?: RestartPolicy;
  /** Told about every process group started, so none outlives a SIGKILLed supervisor. */
  reaper?: OrphanReaper | null;
  /** Per child, between SIGTERM and SIGKILL. */
  stopGraceMs?: number;
}

/**
 * Starts children, restarts them per their spec and the restart policy, and stops them in reverse order
 * of start. `failed` resolves (with the reason) when a child the stack needs is gone for good.
 */
export class ProcessSupervisor {
  readonly policy: RestartPolicy;
  private readonly children: Supervised[] = [];
  private readonly failure = Promise.withResolvers<string>();
  private stopping = false;

  constructor(readonly opts: ProcessSupervisorOptions) {
    this.policy = opts.policy ?? DEFAULT_RESTART_POLICY;
  }

  get failed(): Promise<string> {
    return this.failure.promise;
  }

  get isStopping() {
    return this.stopping;
  }

  add(spec: ChildSpec): SupervisedChild {
    const child = new Supervised(spec, this);
    this.children.push(child);
    return child;
  }

  /** @internal a child the stack needs is gone for good */
  fail(reason: string) {
    this.failure.resolve(reason);
  }

  /** Stops every child, the last started first, each with the grace period. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const child of [...this.children].reverse()) {
      if (child.current.process.exitCode === null && child.current.process.signalCode === null) {
        this.opts.logger.info({ process: child.name, child_pid: child.current.process.pid }, 'stopping');
      }
      await child.stop();
    }
  }

  /** SIGKILL to every child's process group, at once. */
  killAll() {
    this.stopping = true;
    for (const child of this.children) child.kill();
  }
}

class Supervised implements SupervisedChild {
  readonly name: string;
  readonly ready: Promise<ReadyMessage>;
  current: ManagedChild;
  up = false;
  restarts = 0;
  private stopping = false;
  private readonly stopRequested = Promise.withResolvers<null>();
  private upWaiters: Array<() => void> = [];
  private exits: number[] = [];

  constructor(
    private readonly spec: ChildSpec,
    private readonly supervisor: ProcessSupervisor,
  ) {
    this.name = spec.name;
    this.current = this.launch();
    this.ready = this.current.ready;
    void this.run();
  }

  whenUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  async stop(graceMs?: number) {
    this.stopping = true;
    this.stopRequested.resolve(null);
    await this.current.stop(graceMs ?? this.supervisor.opts.stopGraceMs ?? STOP_GRACE_MS);
  }

  kill() {
    this.stopping = true;
    this.stopRequested.resolve(null);
    this.current.kill();
  }

  private get log() {
    return this.supervisor.opts.logger;
  }

  private get done() {
    return this.stopping || this.supervisor.isStopping;
  }

  private launch(): ManagedChild {
    const child = this.spec.spawn();
    const { reaper } = this.supervisor.opts;
    const pid = child.process.pid;
    reaper?.watch(pid);
    void child.exited.then(() => reaper?.unwatch(pid));
    return child;
  }

  /** `promise`'s value, or null once a stop was requested. */
  private untilStopped<T>(promise: Promise<T>): Promise<T | null> {
    return Promise.race([promise, this.stopRequested.promise]);
  }

  private markUp(ready: ReadyMessage, downSince: number | null) {
    this.up = true;
    for (const resolve of this.upWaiters.splice(0)) resolve();
    this.spec.onReady?.(this.current, ready);
    if (downSince !== null) {
      this.log.info(
        {
          process: this.name,
          child_pid: this.current.process.pid,
          down_ms: Date.now() - downSince,
          restarts: this.restarts,
        },
        `${this.name} is back up`,
      );
    }
  }

  private async run() {
    const first = await this.ready.catch(() => null);
    // A first start that fails is reported through `ready` to whoever started it; nothing to restart.
    if (!first || this.done) return;
    this.markUp(first, null);
    for (;;) {
      const exit = await this.current.exited;
      this.up = false;
      if (this.done) return;
      if (!(await this.recover(exit))) return;
    }
  }

  /** After an unexpected exit: restarts with backoff until an instance is ready (true) or it gives up. */
  private async recover(firstExit: ChildExit): Promise<boolean> {
    const { policy } = this.supervisor;
    const downSince = Date.now();
    const died = this.current;
    let why = describeExit(firstExit);
    const describe = (child: ManagedChild, exit: ChildExit) => {
      // Its own words (the Temporal CLI's last lines) when it has any; never its environment.
      const output = child.lastOutput?.() ?? [];
      return {
        process: this.name,
        child_pid: child.process.pid,
        code: exit.code,
        signal: exit.signal,
        ...(output.length ? { last_output: output.slice(-5) } : {}),
      };
    };
    let fields = describe(died, firstExit);
    if (this.spec.restart === false) {
      this.log.error(fields, `${this.name} exited unexpectedly (${why}); stopping the stack`);
      this.supervisor.fail(`${this.name} exited (${why})`);
      return false;
    }
    for (;;) {
      const now = Date.now();
      this.exits = [...this.exits.filter((t) => now - t < policy.windowMs), now];
      if (this.exits.length > policy.maxRestarts) {
        const budget = `${this.exits.length} exits within ${policy.windowMs / 1000} s`;
        if (this.spec.optional) {
          this.log.error(fields, `${this.name} keeps exiting (${budget}); giving up on it, the rest runs on`);
        } else {
          this.log.error(fields, `${this.name} keeps exiting (${budget}); giving up, stopping the stack`);
          this.supervisor.fail(`${this.name} keeps exiting (${why})`);
        }
        return false;
      }
      const delay = restartDelay(policy, this.exits.length);
      this.log.warn(
        { ...fields, restart: this.restarts + 1, retry_in_ms: delay },
        `${this.name} exited unexpectedly (${why}); restarting`,
      );
      let timer: NodeJS.Timeout | undefined;
      const slept = await this.untilStopped(new Promise((r) => (timer = setTimeout(() => r(true), delay))));
      clearTimeout(timer);
      if (slept === null || this.done) return false;
      for (const dependency of this.spec.dependsOn ?? []) {
        if (dependency.up) continue;
        this.log.info(
          { process: this.name, waiting_for: dependency.name },
          `${this.name} restarts once ${dependency.name} is back`,
        );
        if ((await this.untilStopped(dependency.whenUp().then(() => true))) === null) return false;
      }
      if (this.done) return false;
      this.restarts += 1;
      this.current = this.launch();
      try {
        const ready = await this.untilStopped(this.current.ready);
        if (ready === null || this.done) return false;
        this.markUp(ready, downSince);
        return true;
      } catch (err) {
        // Did not come up (exited, or no answer in time): one more exit against the budget.
        await this.current.stop(this.supervisor.opts.stopGraceMs ?? STOP_GRACE_MS);
        why = (err as Error).message;
        fields = describe(this.current, await this.current.exited);
        if (this.done) return false;
      }
    }
  }
}

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
  /** Resolves with the exit code when the stack has stopped (0 by stop(), 1 on a fatal failure). */
  done: Promise<number>;
  stop(): Promise<void>;
  /** SIGKILL to everything it started (a third Ctrl-C). */
  kill(): void;
}

const scriptPath = (name: string) => path.join(PROJECT_ROOT, 'scripts', name);

const JUDGE_TASK_QUEUES: ReadonlySet<TaskQueueName> = new Set(Object.values(JUDGE_QUEUES));

/**
 * The worker processes for the configured queues: the judges' queues in a process of their own when
 * there are others too. onnxruntime-node runs inference on its process's main thread, so judges sharing a
 * process with model calls and workflow tasks stall them (issue 20: 1.33–1.50× the bare loop end to end
 * with judges in one process, 1.19–1.27× in two; README, bench:runs:e2e).
 */
export function workerProcesses(
  queues: readonly TaskQueueName[],
): Array<{ name: string; queues: TaskQueueName[] }> {
  const judges = queues.filter((q) => JUDGE_TASK_QUEUES.has(q));
  const others = queues.filter((q) => !JUDGE_TASK_QUEUES.has(q));
  if (judges.length === 0 || others.length === 0) return [{ name: 'worker', queues: [...queues] }];
  return [
    { name: 'worker', queues: others },
    { name: 'judgesWorker', queues: judges },
  ];
}

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

/**
 * The running stack around a supervisor whose children are all up: stops on request (exit code 0) or
 * when a child it needs is gone for good (1), then says goodbye to the reaper.
 */
export function supervisedStack(
  supervisor: ProcessSupervisor,
  info: StackInfo,
  opts: { logger: Logger; reaper?: OrphanReaper | null; onStopped?: () => Promise<void> },
): Stack {
  const stopRequested = Promise.withResolvers<number>();
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await supervisor.stopAll();
      await opts.reaper?.close();
      await opts.onStopped?.();
      opts.logger.info('stopped');
    })();
    return stopped;
  };
  const done = Promise.race([supervisor.failed.then(() => 1), stopRequested.promise]).then(async (code) => {
    await stop();
    return code;
  });
  return {
    info,
    done,
    stop: async () => {
      stopRequested.resolve(0);
      await done;
    },
    kill: () => supervisor.killAll(),
  };
}

/** supervisor.json, written atomically (readers never see half a file) and one write at a time. */
export function infoWriter(infoFile: string) {
  let chain = Promise.resolve();
  const enqueue = (step: () => Promise<void>) => {
    chain = chain.then(step).catch(() => {});
    return chain;
  };
  return {
    write: (info: StackInfo) =>
      enqueue(async () => {
        const tmp = `${infoFile}.${process.pid}.tmp`;
        await fs.writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`);
        await fs.rename(tmp, infoFile);
      }),
    remove: () => enqueue(() => fs.rm(infoFile, { force: true })),
  };
}

/** Starts the stack; aborting `signal` during start-up stops whatever was already started. */
export async function startStack(config: AppConfig, logger: Logger, signal?: AbortSignal): Promise<Stack> {
  // Loaded here rather than at the top, so the process-supervision part of this module stays light.
  const [
    { createDataSource, runMigrations },
    { startDemoRun },
    encryption,
    { seedDemoIfEmpty },
    temporalCli,
  ] = await Promise.all([
    import('../db/data-source.js'),
    import('./demo-run.js'),
    import('./encryption-key.js'),
    import('./seed/index.js'),
    import('./temporal-cli.js'),
  ]);
  await fs.mkdir(config.dataDir, { recursive: true });
  const infoFile = path.join(config.dataDir, 'supervisor.json');
  await refuseIfAlreadyRunning(infoFile);
  const infoFileWriter = infoWriter(infoFile);

  const reaper = startOrphanReaper();
  const supervisor = new ProcessSupervisor({ logger, reaper });
  const pids: StackInfo['pids'] = { supervisor: process.pid, reaper: reaper.pid };
  let info: StackInfo | null = null;
  const writeInfo = () => (info ? infoFileWriter.write(info) : Promise.resolve());
  const stopAll = async () => {
    await supervisor.stopAll();
    await reaper.close();
  };

  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const pg = supervisor.add({
        name: 'postgres',
        restart: false,
        spawn: () => spawnNodeChild('postgres', scriptPath('embedded-postgres.ts'), { env: process.env }),
        onReady: (child, ready) => {
          pids.postgresRunner = child.process.pid;
          pids.postgres = ready.pid as number | undefined;
        },
      });
      const ready = await unlessAborted(pg.ready, signal);
      databaseUrl = String(ready.url);
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
    const keyEnv = await encryption.encryptionKeyEnv(config, logger);
    await encryption
      .checkProviderSecretKeys(dataSource, logger, {
        env: (name) => keyEnv[name] ?? process.env[name],
        reencrypt: true,
      })
      .finally(() => dataSource.destroy());
    logger.info(
      { applied: applied.map((m) => m.name), demo_project: demo?.projectId },
      'migrations up to date',
    );

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | null = null;
    let temporal: SupervisedChild | null = null;
    if (!temporalAddress) {
      signal?.throwIfAborted();
      const cliPath = temporalCli.findTemporalCli();
      temporal = supervisor.add({
        name: 'temporal',
        spawn: () =>
          temporalCli.spawnTemporalDevServer({
            cliPath,
            port: config.TEMPORAL_PORT,
            uiPort: config.TEMPORAL_UI_PORT,
            // Its history survives a restart: workflows in flight carry on.
            dbFile: path.join(config.dataDir, 'temporal.sqlite'),
            namespace: config.TEMPORAL_NAMESPACE,
            onOutput: (line) => logger.debug({ temporal: line }),
          }),
        onReady: (child) => {
          pids.temporal = child.process.pid;
          void writeInfo();
        },
      });
      await unlessAborted(temporal.ready, signal);
      temporalAddress = `127.0.0.1:${config.TEMPORAL_PORT}`;
      temporalUiUrl = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
    }

    const localLlmUrl = await startLocalLlm(config, logger, supervisor, pids, writeInfo, signal);

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

    const children: Array<{ name: string; script: string; env: NodeJS.ProcessEnv; worker: boolean }> = [
      ...workerProcesses(config.workerQueues).map(({ name, queues }) => ({
        name,
        script: 'worker.ts',
        env: { ...childEnv, EVALFORGE_WORKER_QUEUES: queues.join(',') },
        worker: true,
      })),
      { name: 'api', script: 'api.ts', env: childEnv, worker: false },
    ];
    for (const { name, script, env, worker } of children) {
      const child = supervisor.add({
        name,
        spawn: () =>
          spawnNodeChild(name, scriptPath(script), {
            env,
            ...(worker ? { nodeArgs: WORKER_NODE_ARGS } : {}),
          }),
        // Both ride out a Temporal restart; one that dies meanwhile comes back once Temporal has.
        dependsOn: temporal ? [temporal] : [],
        onReady: (c) => {
          pids[name] = c.process.pid;
          void writeInfo();
        },
      });
      await unlessAborted(child.ready, signal);
    }

    info = {
      supervisorPid: process.pid,
      apiUrl: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.PORT}`,
      temporalAddress,
      temporalUiUrl,
      databaseEmbedded: !config.DATABASE_URL,
      pids,
    };
    const apiUrl = info.apiUrl;
    await writeInfo();

    if (demo && localLlmUrl && config.EVALFORGE_DEMO_RUN === '1') {
      // Not awaited by anything that matters: a demo that cannot start is one warning, not a failed start.
      await startDemoRun((p, init) => fetch(`${apiUrl}${p}`, init), demo).then(
        ({ runId }) =>
          logger.info(
            { runId, dashboard: `${apiUrl}/runs/${runId}` },
            'demo run started on the local SmolLM2 endpoint',
          ),
        (err: Error) => logger.warn({ err: err.message }, 'demo run not started'),
      );
    }

    return supervisedStack(supervisor, info, {
      logger,
      reaper,
      onStopped: () => infoFileWriter.remove(),
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * The optional local chat model server (for keyless demo evals): started when its model file is there
 * and EVALFORGE_LOCAL_LLM is not '0', restarted if it dies. Never fatal: if it is missing, fails to
 * start or keeps dying, the stack runs without it.
 */
async function startLocalLlm(
  config: AppConfig,
  logger: Logger,
  supervisor: ProcessSupervisor,
  pids: StackInfo['pids'],
  writeInfo: () => Promise<void>,
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
  const child = supervisor.add({
    name: 'local-llm',
    optional: true,
    spawn: () => spawnNodeChild('local-llm', scriptPath('local-llm.ts'), { env: process.env }),
    onReady: (c) => {
      pids.localLlm = c.process.pid;
      void writeInfo();
    },
  });
  try {
    const ready = await unlessAborted(child.ready, signal);
    return String(ready.url);
  } catch (err) {
    signal?.throwIfAborted();
    await child.stop();
    logger.warn({ err: (err as Error).message }, 'local LLM failed to start; continuing without it');
    return null;
  }
}

export interface RunOptions {
  logger: Logger;
  /** Starts the stack; `signal` aborts when a stop is asked for during start-up. */
  start(signal: AbortSignal): Promise<Stack>;
  onUp?(stack: Stack): void;
  /** A start that failed without being aborted; the process then exits with 1. */
  onStartError?(err: unknown): void;
  /** Stop when the parent process (npm, its `sh -c`) goes away. Default true. */
  watchParent?: boolean;
}

/**
 * The supervisor process's life: start, then stop on the first of SIGINT, SIGTERM, SIGHUP, the parent
 * going away, or a fatal failure. A second signal only says to wait; a third leaves at once (the orphan
 * reaper and the children's own parent watch stop what is left). Resolves with the exit code.
 */
export async function runUntilStopped(opts: RunOptions): Promise<number> {
  const { logger } = opts;
  const startup = new AbortController();
  let stack: Stack | undefined;
  let requests = 0;
  let endWatch = () => {};
  const requestStop = (reason: Record<string, unknown>) => {
    requests += 1;
    if (requests === 1) {
      // Ctrl-C reaches the parent shell too; its wake-up is not a second request.
      endWatch();
      logger.info(reason, 'shutting down');
      if (stack) void stack.stop();
      else startup.abort(new Error(`stop requested during start-up: ${JSON.stringify(reason)}`));
    } else if (requests === 2) {
      logger.warn('still stopping cleanly, please wait (once more to kill everything at once)');
    } else {
      logger.warn('killing everything now');
      // Before start-up finished there is no stack yet: the orphan reaper stops what was started.
      stack?.kill();
      process.exit(130);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => requestStop({ signal }));
  if (opts.watchParent !== false) endWatch = watchParent((reason) => requestStop({ reason }));

  try {
    stack = await opts.start(startup.signal);
  } catch (err) {
    endWatch();
    if (startup.signal.aborted) {
      logger.info('start-up aborted; everything started so far is stopped');
      return 0;
    }
    opts.onStartError?.(err);
    return 1;
  }
  // A stop asked for while the last step of start-up finished.
  if (startup.signal.aborted) void stack.stop();
  opts.onUp?.(stack);
  const code = await stack.done;
  endWatch();
  return code;
}

async function refuseIfAlreadyRunning(infoFile: string) {
  const text = await fs.readFile(infoFile, 'utf8').catch(() => null);
  if (!text) return;
  let previous: StackInfo;
  try {
    previous = JSON.parse(text) as StackInfo;
  } catch {
    return; // a torn file from a crash: nobody to refuse
  }
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
