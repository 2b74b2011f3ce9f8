/**
 * Node child processes that say when they are ready (over IPC) and stop on request.
 * Children run in their own process group so a terminal's Ctrl-C reaches only the supervisor,
 * which then stops them in order (API, worker, Temporal, PostgreSQL) and loses nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../lib/project-root.js';

export { PROJECT_ROOT };
export const STOP_GRACE_MS = 20_000;

export interface ReadyMessage {
  type: 'ready';
  [key: string]: unknown;
}

export interface ManagedChild {
  name: string;
  process: ChildProcess;
  ready: Promise<ReadyMessage>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(graceMs?: number): Promise<void>;
}

function isAlive(child: ChildProcess) {
  return child.exitCode === null && child.signalCode === null;
}

/** Wraps any spawned process: waits for exit, SIGTERM then SIGKILL after a grace period. */
export function manage(name: string, child: ChildProcess, ready: Promise<ReadyMessage>): ManagedChild {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    process: child,
    ready,
    exited,
    async stop(graceMs = STOP_GRACE_MS) {
      if (!isAlive(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (isAlive(child)) child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * V8 heap cap of worker processes (also in the `worker` npm script and infra/docker-entrypoint.sh).
 * A worker's live heap stays near 200 MB, but with no cap V8 lets garbage pile up to gigabytes on a big
 * machine before a full collection: a 100k-sample run peaked at 1.4 GB RSS without it, 0.8 GB with it
 * (`npm run bench:scale`).
 */
export const WORKER_HEAP_LIMIT_MB = 512;
export const WORKER_NODE_ARGS = [`--max-old-space-size=${WORKER_HEAP_LIMIT_MB}`];

export interface NodeChildOptions {
  env: NodeJS.ProcessEnv;
  /** Node flags before the script (e.g. WORKER_NODE_ARGS). */
  nodeArgs?: string[];
  /** ms to wait for the ready message */
  readyTimeoutMs?: number;
  stdio?: 'inherit' | 'pipe';
}

/** Runs a TypeScript entry point of this project (scripts/*.ts) under the pinned Node with tsx. */
export function spawnNodeChild(name: string, script: string, opts: NodeChildOptions): ManagedChild {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script], {
    cwd: PROJECT_ROOT,
    env: opts.env,
    detached: true,
    stdio: ['ignore', opts.stdio ?? 'inherit', opts.stdio ?? 'inherit', 'ipc'],
  });
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} not ready after ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    child.on('message', (msg: ReadyMessage) => {
      if (msg?.type === 'ready') {
        clearTimeout(timer);
        resolve(msg);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  ready.catch(() => {}); // observed by the caller; avoid an unhandled rejection when it never asks
  return manage(name, child, ready);
}

/** In a child: tell the supervisor we are ready (no-op when run by hand). */
export function announceReady(info: Record<string, unknown> = {}) {
  process.send?.({ type: 'ready', ...info });
}

/** In a child: if the supervisor dies without stopping us (SIGKILL), stop too instead of lingering. */
export function exitWhenParentDies(onOrphaned: () => void, intervalMs = 1_000) {
  if (!process.send) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
}
