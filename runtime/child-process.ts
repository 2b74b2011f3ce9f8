/**
 * Node child processes that say when they are ready (over IPC) and stop on request.
 * Children run in their own process group so a terminal's Ctrl-C reaches only the supervisor,
 * which then stops them in order (API, worker, model server, Temporal, PostgreSQL) and loses nothing.
 * Nothing outlives the supervisor: Node children stop when it goes (IPC closed, or reparented), and
 * an orphan reaper (a tiny process of its own) stops the others, e.g. the Temporal CLI, if it is SIGKILLed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/project-root.js';

export { PROJECT_ROOT };
export const STOP_GRACE_MS = 20_000;

export interface ReadyMessage {
  type: 'ready';
  [key: string]: unknown;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedChild {
  name: string;
  process: ChildProcess;
  ready: Promise<ReadyMessage>;
  exited: Promise<ChildExit>;
  /** SIGTERM, then SIGKILL (to its whole process group) after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now, to its whole process group. */
  kill(): void;
  /** Its last lines of output, when the supervisor captures them (logged when it dies). */
  lastOutput?(): string[];
}

function isAlive(child: ChildProcess) {
  return child.exitCode === null && child.signalCode === null;
}

/** Signals process group `pgid` (a detached child's pid); false when no process is left in it. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface ManageOptions {
  /** The child leads its own process group (spawned detached): stop() leaves nothing of that group. */
  group?: boolean;
  lastOutput?: () => string[];
}

/** Wraps any spawned process: waits for exit, SIGTERM then SIGKILL after a grace period. */
export function manage(
  name: string,
  child: ChildProcess,
  ready: Promise<ReadyMessage>,
  opts: ManageOptions = {},
): ManagedChild {
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // Never started (ENOENT, EACCES): Node reports an error and no exit.
    child.once('error', () => {
      if (child.pid === undefined) resolve({ code: child.exitCode ?? -1, signal: null });
    });
  });
  const group = opts.group && child.pid !== undefined ? child.pid : null;
  const kill = () => {
    if (group !== null) signalGroup(group, 'SIGKILL');
    else if (isAlive(child)) child.kill('SIGKILL');
  };
  return {
    name,
    process: child,
    ready,
    exited,
    kill,
    ...(opts.lastOutput ? { lastOutput: opts.lastOutput } : {}),
    async stop(graceMs = STOP_GRACE_MS) {
      if (isAlive(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(kill, graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Whatever it started in its group and left behind (it should not) goes with it.
      if (group !== null && signalGroup(group, 0)) signalGroup(group, 'SIGKILL');
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
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  ready.catch(() => {}); // observed by the caller; avoid an unhandled rejection when it never asks
  return manage(name, child, ready, { group: true });
}

/** In a child: tell the supervisor we are ready (no-op when run by hand). */
export function announceReady(info: Record<string, unknown> = {}) {
  process.send?.({ type: 'ready', ...info });
}

/**
 * In a child: if the supervisor dies without stopping us (SIGKILL), stop too instead of lingering.
 * The IPC channel closing says so at once; a changed parent pid is the fallback check.
 */
export function exitWhenParentDies(onOrphaned: () => void, intervalMs = 1_000) {
  if (!process.send) return;
  const parent = process.ppid;
  let done = false;
  const orphaned = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    onOrphaned();
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) orphaned();
  }, intervalMs);
  timer.unref();
  process.once('disconnect', orphaned);
  // A 'disconnect' listener would hold the channel open, and so keep the process from ever exiting by itself.
  process.channel?.unref();
}

// ---------------------------------------------------------------------------------------------------
// The supervisor's side: noticing that whoever started it is gone, and never leaving orphans.

/** What /proc says about a process (Linux); null elsewhere or when it is gone. */
export interface ProcInfo {
  ppid: number;
  state: string;
  /** Times it went to sleep on its own: an idle process blocked in wait() only wakes for a signal. */
  voluntarySwitches: number;
  argv: string[];
  /** Its live children (when the kernel lists them). */
  children?: number[];
}

export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so split after its last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const switches = /^voluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1];
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    let children: number[] | undefined;
    try {
      children = fs
        .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .map(Number);
    } catch {
      children = undefined; // kernel without CONFIG_PROC_CHILDREN
    }
    return { ppid: Number(ppid), state, voluntarySwitches: Number(switches ?? 0), argv, children };
  } catch {
    return null;
  }
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** `sh -c '…'`: a shell that only runs us, as npm runs a package script. */
export function isScriptShell(argv: string[]): boolean {
  return argv.length >= 2 && SHELLS.has(path.basename(argv[0])) && argv.slice(1).includes('-c');
}

export interface ParentWatchOptions {
  intervalMs?: number;
  /** Defaults to this process's parent. */
  parentPid?: number;
  readProc?: (pid: number) => ProcInfo | null;
}

/**
 * Calls `onGone(reason)` once when the process that started us goes away, so a supervisor never runs on
 * unattended. Under `npm start` the parent is npm's `sh -c`, which matters twice:
 *  - SIGTERM to npm: npm passes it to the shell, which dies of it; we see our parent change.
 *  - SIGINT to npm: npm passes it to the shell, and the shell (dash, bash) catches SIGINT and keeps
 *    waiting for us, so it never arrives here. Such a shell is asleep in wait() and only wakes for a
 *    signal (or when we stop or continue, which we track), so a wake-up of it is taken as that Ctrl-C.
 *  - npm itself killed (SIGKILL, SIGHUP): the shell is reparented; we watch the shell's parent too.
 * The shell checks need /proc (Linux); elsewhere only the parent pid is watched. Returns a function
 * that ends the watch.
 */
export function watchParent(onGone: (reason: string) => void, opts: ParentWatchOptions = {}): () => void {
  const read = opts.readProc ?? readProc;
  const parent = opts.parentPid ?? process.ppid;
  // Started by init or a container runtime (pid 1): no parent to lose.
  if (parent <= 1) return () => {};
  const parentInfo = read(parent);
  const shell = parentInfo && isScriptShell(parentInfo.argv) ? parentInfo : null;
  // A shell that runs anything besides us wakes for that too: then only its exit counts.
  const runsOthers = (info: ProcInfo) => (info.children ?? []).some((pid) => pid !== process.pid);
  let wakeUpsMeanSignals = shell !== null && !runsOthers(shell);
  const parentGone = () => (opts.parentPid === undefined ? process.ppid !== parent : read(parent) === null);
  // Counted from now, not from the first tick: a Ctrl-C in the first interval must not become the baseline.
  // By now the shell has long been asleep in wait() (Node and tsx took a while to get us here).
  let baseline: number | null = shell ? shell.voluntarySwitches : null;
  let quietUntil = 0;
  // Job control: our own stop and continue wake the shell too (SIGCHLD); skip those wake-ups.
  const onContinue = () => {
    quietUntil = Date.now() + 2_000;
  };
  process.on('SIGCONT', onContinue);
  let ended = false;
  const end = () => {
    ended = true;
    clearInterval(timer);
    process.off('SIGCONT', onContinue);
  };
  const gone = (reason: string) => {
    if (ended) return;
    end();
    onGone(reason);
  };
  let confirming = false;
  const timer = setInterval(() => {
    if (confirming) return;
    if (parentGone()) return gone(`parent process ${parent} exited`);
    if (!shell) return;
    const now = read(parent);
    if (!now) return gone(`parent process ${parent} exited`);
    if (now.ppid !== shell.ppid) return gone(`the shell's parent process ${shell.ppid} exited`);
    if (runsOthers(now)) wakeUpsMeanSignals = false;
    if (!wakeUpsMeanSignals) return;
    if (baseline === null || now.state === 'T' || now.state === 't' || Date.now() < quietUntil) {
      baseline = now.voluntarySwitches;
      return;
    }
    if (now.voluntarySwitches === baseline) return;
    // After a Ctrl-Z and `fg` this timer may run before our SIGCONT listener: give that one a moment.
    confirming = true;
    setTimeout(() => {
      confirming = false;
      const later = read(parent);
      if (!later) return gone(`parent process ${parent} exited`);
      if (runsOthers(later)) wakeUpsMeanSignals = false;
      if (!wakeUpsMeanSignals) return;
      if (Date.now() < quietUntil || later.state === 'T' || later.state === 't') {
        baseline = later.voluntarySwitches;
        return;
      }
      gone(`parent shell ${parent} was signalled (a shell does not pass SIGINT on)`);
    }, 200).unref();
  }, opts.intervalMs ?? 500);
  timer.unref();
  return end;
}

/** Source of the orphan reaper: plain JavaScript, run with `node -e` so it starts in milliseconds. */
const REAPER_SOURCE = `
const groups = new Set();
let rest = '';
let clean = false;
process.title = 'evalforge-reaper (supervisor ' + process.argv[1] + ')';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  rest += d;
  let i;
  while ((i = rest.indexOf('\\n')) >= 0) {
    const line = rest.slice(0, i);
    rest = rest.slice(i + 1);
    if (line === 'bye') clean = true;
    else if (line[0] === '+') groups.add(Number(line.slice(1)));
    else if (line[0] === '-') groups.delete(Number(line.slice(1)));
  }
});
const send = (g, s) => { try { process.kill(-g, s); return true; } catch { return false; } };
let reaping = false;
function reap() {
  if (reaping) return;
  reaping = true;
  if (clean || groups.size === 0) process.exit(0);
  const left = () => [...groups].filter((g) => send(g, 0));
  process.stderr.write('evalforge: supervisor ' + process.argv[1] + ' is gone; stopping what it left running (process groups ' + left().join(', ') + ')\\n', () => {});
  for (const g of groups) send(g, 'SIGTERM');
  const deadline = Date.now() + Number(process.argv[2]);
  setInterval(() => {
    const alive = left();
    if (alive.length === 0) process.exit(0);
    if (Date.now() > deadline) { for (const g of alive) send(g, 'SIGKILL'); process.exit(0); }
  }, 100);
}
process.stdin.on('end', reap);
process.stdin.on('error', reap);
// Ctrl-C and hang-ups are for the supervisor, which stops everything itself and then says goodbye.
for (const s of ['SIGINT', 'SIGHUP']) process.on(s, () => {});
`;

export interface OrphanReaper {
  /** Process group (a detached child's pid) to stop if the supervisor dies without stopping it. */
  watch(pgid: number | undefined): void;
  unwatch(pgid: number | undefined): void;
  /** The supervisor stopped everything itself: the reaper leaves without killing anything (resolves
   * once it has, within a second or two). */
  close(): Promise<void>;
  pid: number | undefined;
}

/**
 * A watchdog process for everything the supervisor starts: it reads a pipe from the supervisor, and
 * when that pipe closes without a goodbye (the supervisor was SIGKILLed or crashed) it sends SIGTERM to
 * every process group it was told about, then SIGKILL after `graceMs`. It has a process group of its
 * own, so the Ctrl-C meant for the supervisor does not reach it.
 */
export function startOrphanReaper(opts: { graceMs?: number } = {}): OrphanReaper {
  const child = spawn(
    process.execPath,
    ['-e', REAPER_SOURCE, String(process.pid), String(opts.graceMs ?? 10_000)],
    { detached: true, stdio: ['pipe', 'ignore', 'inherit'] },
  );
  child.unref();
  const stdin = child.stdin;
  // Never keeps the supervisor alive, and a reaper that died must not take the supervisor with it.
  (stdin as unknown as { unref?: () => void })?.unref?.();
  stdin?.on('error', () => {});
  child.on('error', () => {});
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let open = true;
  const write = (line: string) => {
    if (open && stdin?.writable) stdin.write(`${line}\n`);
  };
  return {
    pid: child.pid,
    watch: (pgid) => pgid && write(`+${pgid}`),
    unwatch: (pgid) => pgid && write(`-${pgid}`),
    close: async () => {
      if (open) {
        write('bye');
        open = false;
        stdin?.end();
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer);
    },
  };
}
