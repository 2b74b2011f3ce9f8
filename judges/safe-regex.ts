/**
 * User regexes (the `format` and `assertions` judges) run in a worker thread with a time limit per output, so
 * a pattern that backtracks catastrophically (`^(a+)+$` on "aaa…ab" doubles its work with every "a") never
 * blocks the judge worker's event loop: past the limit the thread is terminated, that output gets an error
 * naming the pattern, and the rest of the batch goes on in a fresh thread. JavaScript semantics are kept
 * (lookarounds, backreferences), which RE2-style engines refuse.
 *
 * One thread per process, started on first use and not keeping the process alive; calls take turns on it.
 */
import { Worker } from 'node:worker_threads';

/** How long one pattern may run on one output; a stuck match is stopped after one to two times this. */
export const REGEX_TIME_LIMIT_MS = 250;
/** A thread that has not started its first task by then is replaced and the batch fails (and is retried). */
const THREAD_START_LIMIT_MS = 15_000;

export interface RegexTask {
  source: string;
  flags?: string;
  input: string;
}

export type RegexOutcome = { matched: boolean } | { error: string };

/** The error an output gets when the pattern ran past the limit on it. */
export function regexTimeoutMessage(source: string, limitMs: number): string {
  return `regex /${truncate(source)}/ ran longer than ${limitMs} ms on this output and was stopped (catastrophic backtracking: simplify the pattern, e.g. no nested quantifiers like (a+)+)`;
}

const truncate = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

// Results per task in shared memory (0 until run), so the ones done before a stuck task survive its thread's
// termination.
const MATCHED = 1;
const NOT_MATCHED = 2;
const INVALID = 3;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ tasks, state, results }) => {
  const s = new Int32Array(state);
  const out = new Int8Array(results);
  const compiled = new Map();
  for (let i = 0; i < tasks.length; i++) {
    Atomics.store(s, 0, i + 1);
    const { source, flags, input } = tasks[i];
    const key = flags + '/' + source;
    let re = compiled.get(key);
    if (re === undefined) {
      try { re = new RegExp(source, flags); } catch { re = null; }
      compiled.set(key, re);
    }
    out[i] = re === null ? ${INVALID} : re.test(input) ? ${MATCHED} : ${NOT_MATCHED};
  }
  Atomics.store(s, 1, 1);
  Atomics.notify(s, 1);
});
`;

let worker: Worker | null = null;
let queue: Promise<unknown> = Promise.resolve();

function thread(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const started = worker;
    started.on('error', () => {
      if (worker === started) worker = null;
    });
  }
  return worker;
}

async function stopThread(): Promise<void> {
  const w = worker;
  worker = null;
  await w?.terminate();
}

/**
 * `RegExp.test` of each task, in order, off the main thread. A task past `limitMs` gets an error naming its
 * pattern; an invalid pattern gets its syntax error. `g` and `y` flags are dropped (`test` stays stateless).
 */
export function testRegexes(
  tasks: readonly RegexTask[],
  limitMs: number = REGEX_TIME_LIMIT_MS,
): Promise<RegexOutcome[]> {
  const run = queue.then(() => runTasks(tasks, limitMs));
  queue = run.catch(() => undefined);
  return run;
}

async function runTasks(tasks: readonly RegexTask[], limitMs: number): Promise<RegexOutcome[]> {
  const outcomes: RegexOutcome[] = new Array(tasks.length);
  const clean = tasks.map((t) => ({
    source: t.source,
    flags: (t.flags ?? '').replace(/[gy]/g, ''),
    input: t.input,
  }));
  let from = 0;
  while (from < clean.length) {
    const slice = clean.slice(from);
    const state = new Int32Array(new SharedArrayBuffer(8));
    const results = new Int8Array(new SharedArrayBuffer(slice.length));
    const w = thread();
    // Held while it works: Atomics.waitAsync alone does not keep the process alive.
    w.ref();
    w.postMessage({ tasks: slice, state: state.buffer, results: results.buffer });
    // Wake every `limitMs` (or when done): a task still running at two wake-ups in a row is stuck.
    let stuck = -1;
    let seen = 0;
    let waited = 0;
    while (Atomics.load(state, 1) === 0) {
      const wait = Atomics.waitAsync(state, 1, 0, limitMs);
      if (wait.async) await wait.value;
      waited += limitMs;
      if (Atomics.load(state, 1) === 1) break;
      const running = Atomics.load(state, 0);
      if (running === 0 && waited >= THREAD_START_LIMIT_MS) {
        w.unref();
        await stopThread();
        throw new Error(`the regex thread did not start within ${THREAD_START_LIMIT_MS} ms`);
      }
      if (running !== 0 && running === seen) {
        stuck = running - 1;
        break;
      }
      seen = running;
    }
    w.unref();
    if (stuck >= 0) await stopThread();
    slice.forEach((task, k) => {
      const r = results[k];
      if (r === MATCHED || r === NOT_MATCHED) outcomes[from + k] = { matched: r === MATCHED };
      else if (r === INVALID) outcomes[from + k] = { error: invalidMessage(task.source, task.flags) };
    });
    if (stuck < 0) break;
    outcomes[from + stuck] = { error: regexTimeoutMessage(slice[stuck].source, limitMs) };
    from += stuck + 1;
  }
  return outcomes;
}

function invalidMessage(source: string, flags: string): string {
  try {
    new RegExp(source, flags);
    return `regex /${truncate(source)}/ could not run`;
  } catch (err) {
    return `regex /${truncate(source)}/ is invalid: ${(err as Error).message}`;
  }
}
