/**
 * The supervisor's process handling with stand-in children (test/fakes/supervised-stack.ts): the same
 * ProcessSupervisor, signal handling and orphan reaper as `npm start`, started the way npm starts it
 * (npm → `sh -c` → node), with children that start in a fraction of a second. Restarts, the restart
 * budget, the wait for Temporal, every way of stopping it, and nothing left behind afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { isProcessAlive } from '../test/helpers/index.js';
import { PROJECT_ROOT, type ProcInfo, readProc, signalGroup, watchParent } from './child-process.js';
import { DEFAULT_RESTART_POLICY, restartDelay, type StackInfo } from './supervisor.js';

const UP_TIMEOUT_MS = 60_000;
/** Everything gone this long after the stop was asked for (children stop in ~50 ms each). */
const GONE_WITHIN_MS = 15_000;
const STOP_ORDER = ['api', 'worker', 'local-llm', 'temporal', 'postgres'];

interface FakeStack {
  dir: string;
  launcher: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  events(): Promise<string[]>;
  info(): Promise<StackInfo>;
  /** Every pid seen: supervisor, reaper, its shell and npm, every child instance. */
  seen: Set<number>;
}

let root: string;
let npmDir: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-supervised-'));
  // A package whose `npm start` is the stand-in stack, so npm runs it exactly as it runs ours.
  npmDir = path.join(root, 'npm-package');
  await fs.mkdir(npmDir);
  await fs.symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(npmDir, 'node_modules'));
  const script = path.join(PROJECT_ROOT, 'test/fakes/supervised-stack.ts');
  await fs.writeFile(
    path.join(npmDir, 'package.json'),
    JSON.stringify({
      name: 'supervised-stack',
      private: true,
      scripts: { start: `node --import tsx ${script}` },
    }),
  );
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function startFakeStack(via: 'npm' | 'sh', env: Record<string, string> = {}): Promise<FakeStack> {
  const dir = await fs.mkdtemp(path.join(root, 'stack-'));
  const childEnv = { ...process.env, FAKE_STACK_DIR: dir, FAKE_EVENTS: path.join(dir, 'events'), ...env };
  // Its own process group, as a terminal gives a foreground job: the group is what Ctrl-C signals.
  const launcher =
    via === 'npm'
      ? spawn('npm', ['start', '--silent'], { cwd: npmDir, env: childEnv, detached: true, stdio: 'pipe' })
      : spawn('sh', ['-c', 'node --import tsx test/fakes/supervised-stack.ts'], {
          cwd: PROJECT_ROOT,
          env: childEnv,
          detached: true,
          stdio: 'pipe',
        });
  let output = '';
  launcher.stdout?.on('data', (d) => {
    output += d;
  });
  launcher.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
  const seen = new Set<number>([launcher.pid!]);
  const stack: FakeStack = {
    dir,
    launcher,
    exited,
    output: () => output,
    seen,
    events: async () =>
      (await fs.readFile(path.join(dir, 'events'), 'utf8').catch(() => '')).split('\n').filter(Boolean),
    info: async () => {
      const info = JSON.parse(await fs.readFile(path.join(dir, 'supervisor.json'), 'utf8')) as StackInfo;
      for (const pid of Object.values(info.pids)) if (pid) seen.add(pid);
      return info;
    },
  };
  onTestFinished(async () => {
    // A failed test leaves nothing running: every process group it saw, then the launcher's.
    for (const pid of seen) signalGroup(pid, 'SIGKILL');
    signalGroup(launcher.pid!, 'SIGKILL');
  });
  const deadline = Date.now() + UP_TIMEOUT_MS;
  while (!(await stack.events()).some((e) => e.startsWith('up supervisor'))) {
    if (Date.now() > deadline) throw new Error(`stand-in stack not up in ${UP_TIMEOUT_MS} ms:\n${output}`);
    if (launcher.exitCode !== null) throw new Error(`stand-in stack exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const info = await stack.info();
  // The shell npm runs the script with (and npm itself, when it is npm).
  const shell = readProc(info.supervisorPid)?.ppid;
  if (shell) seen.add(shell);
  return stack;
}

async function expectAllGone(stack: FakeStack, what: string) {
  const deadline = Date.now() + GONE_WITHIN_MS;
  let alive = [...stack.seen].filter(isProcessAlive);
  while (alive.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    alive = [...stack.seen].filter(isProcessAlive);
  }
  expect(alive, `${what}: still running after ${GONE_WITHIN_MS} ms\n${stack.output()}`).toEqual([]);
}

/** The order children logged "stopped" in, by name. */
async function stopOrder(stack: FakeStack) {
  return (await stack.events()).filter((e) => e.startsWith('stopped ')).map((e) => e.split(' ')[1]);
}

async function waitFor<T>(what: string, stack: FakeStack, probe: () => Promise<T | undefined | false>) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${stack.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('supervisor with stand-in children', () => {
  it('restarts a killed child that has no IPC (as the Temporal CLI) and logs why; the others ride it out', async () => {
    const stack = await startFakeStack('sh');
    const before = await stack.info();
    process.kill(before.pids.temporal!, 'SIGKILL');
    const after = await waitFor('a new temporal', stack, async () => {
      const info = await stack.info();
      return info.pids.temporal !== before.pids.temporal && info;
    });
    expect(isProcessAlive(after.pids.temporal!)).toBe(true);
    expect(after.pids.worker).toBe(before.pids.worker);
    expect(after.pids.api).toBe(before.pids.api);
    expect(stack.output()).toMatch(/temporal exited unexpectedly \(killed by SIGKILL\); restarting/);
    expect(stack.output()).toMatch(/"down_ms":\d+.*temporal is back up/);

    process.kill(stack.launcher.pid!, 'SIGTERM');
    expect(await stack.exited).not.toBeUndefined();
    await expectAllGone(stack, 'after SIGTERM');
  }, 60_000);

  it('restarts a child that died while Temporal was down only once Temporal is back', async () => {
    const stack = await startFakeStack('sh', { FAKE_TEMPORAL_RESTART_MS: '1500' });
    const before = await stack.info();
    process.kill(before.pids.temporal!, 'SIGKILL');
    process.kill(before.pids.worker!, 'SIGKILL');
    const after = await waitFor('a new worker', stack, async () => {
      const info = await stack.info();
      return info.pids.worker !== before.pids.worker && info;
    });
    const events = await stack.events();
    const temporalBack = events.indexOf(`ready temporal ${after.pids.temporal}`);
    const workerBack = events.indexOf(`ready worker ${after.pids.worker}`);
    expect(temporalBack).toBeGreaterThan(-1);
    expect(workerBack).toBeGreaterThan(temporalBack);
    expect(stack.output()).toMatch(/worker restarts once temporal is back/);

    process.kill(-stack.launcher.pid!, 'SIGINT');
    await stack.exited;
    await expectAllGone(stack, 'after Ctrl-C');
  }, 60_000);

  it('gives up on an optional child that keeps crashing, and the rest runs on', async () => {
    const stack = await startFakeStack('sh', { FAKE_LOCAL_LLM_EXIT_AFTER_MS: '100' });
    await waitFor('giving up on local-llm', stack, async () =>
      /local-llm keeps exiting \(4 exits within 60 s\); giving up on it/.test(stack.output()),
    );
    const info = await stack.info();
    expect(isProcessAlive(info.pids.api!)).toBe(true);
    expect(stack.launcher.exitCode).toBeNull();

    process.kill(stack.launcher.pid!, 'SIGTERM');
    await stack.exited;
    await expectAllGone(stack, 'after SIGTERM');
  }, 60_000);

  it('stops the whole stack, with exit code 1, when a required child keeps crashing', async () => {
    const stack = await startFakeStack('sh', { FAKE_WORKER_EXIT_AFTER_MS: '1500' });
    const code = await stack.exited;
    expect(code).toBe(1);
    expect(stack.output()).toMatch(/worker keeps exiting .*giving up, stopping the stack/);
    await expectAllGone(stack, 'after giving up');
    expect(await stopOrder(stack)).toEqual(['api', 'local-llm', 'temporal', 'postgres']);
  }, 60_000);

  // What the supervisor logs as the reason it shuts down, per way of stopping it.
  const stops: Array<{
    name: string;
    via: 'npm' | 'sh';
    send(stack: FakeStack, info: StackInfo): void;
    reason: RegExp;
  }> = [
    {
      name: 'SIGINT to the npm process',
      via: 'npm',
      send: (s) => process.kill(s.launcher.pid!, 'SIGINT'),
      // npm passes it to its `sh -c`, which keeps it: the shell's wake-up is the cue.
      reason: /parent shell \d+ was signalled/,
    },
    {
      name: 'SIGTERM to the npm process',
      via: 'npm',
      send: (s) => process.kill(s.launcher.pid!, 'SIGTERM'),
      reason: /parent process \d+ exited/,
    },
    {
      name: 'Ctrl-C (SIGINT to the process group)',
      via: 'npm',
      send: (s) => process.kill(-s.launcher.pid!, 'SIGINT'),
      reason: /"signal":"SIGINT"/,
    },
    {
      name: 'SIGKILL to the npm process',
      via: 'npm',
      send: (s) => process.kill(s.launcher.pid!, 'SIGKILL'),
      reason: /the shell's parent process \d+ exited/,
    },
    {
      name: 'SIGINT to the sh -c process',
      via: 'sh',
      send: (s) => process.kill(s.launcher.pid!, 'SIGINT'),
      reason: /parent shell \d+ was signalled/,
    },
    {
      name: 'SIGTERM to the supervisor (kill <pid>)',
      via: 'sh',
      send: (_, info) => process.kill(info.supervisorPid, 'SIGTERM'),
      reason: /"signal":"SIGTERM"/,
    },
    {
      name: 'SIGHUP to the supervisor',
      via: 'sh',
      send: (_, info) => process.kill(info.supervisorPid, 'SIGHUP'),
      reason: /"signal":"SIGHUP"/,
    },
  ];
  it.each(stops)(
    '$name stops everything in order and leaves nothing',
    async ({ via, send }) => {
      const stack = await startFakeStack(via);
      const info = await stack.info();
      const asked = Date.now();
      send(stack, info);
      await stack.exited;
      await expectAllGone(stack, 'after the stop');
      const tookMs = Date.now() - asked;
      expect(await stopOrder(stack)).toEqual(STOP_ORDER);
      // Children have process groups of their own: none saw the terminal's SIGINT.
      expect((await stack.events()).filter((e) => e.startsWith('sigint'))).toEqual([]);
      await expect(fs.access(path.join(stack.dir, 'supervisor.json'))).rejects.toThrow();
      expect(tookMs).toBeLessThan(GONE_WITHIN_MS);
    },
    60_000,
  );

  it('SIGKILL to the supervisor: its reaper and the children themselves leave nothing behind', async () => {
    const stack = await startFakeStack('sh');
    const info = await stack.info();
    process.kill(info.supervisorPid, 'SIGKILL');
    await stack.exited;
    await expectAllGone(stack, 'after SIGKILL');
    const events = await stack.events();
    // The stand-in Temporal has no IPC and no parent watch: the reaper stopped it.
    expect(events).toContain(`sigterm temporal ${info.pids.temporal}`);
    expect(events).toContain(`stopped worker ${info.pids.worker}`);
    expect(stack.output()).toMatch(/supervisor \d+ is gone; stopping what it left running/);
  }, 60_000);
});

describe('supervisor with stand-in children, job control', () => {
  // A terminal's Ctrl-Z stops the foreground group (npm, sh, supervisor) and `fg` continues it. Here the
  // group has no terminal (an orphaned group ignores SIGTSTP), so SIGSTOP stops it the same way.
  it('Ctrl-Z then fg (the group stopped, then continued) is not taken for a stop', async () => {
    const stack = await startFakeStack('npm');
    const info = await stack.info();
    process.kill(-stack.launcher.pid!, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(signalGroup(stack.launcher.pid!, 'SIGCONT'), stack.output()).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(stack.output()).not.toMatch(/shutting down/);
    expect(isProcessAlive(info.supervisorPid)).toBe(true);

    // And a SIGINT to npm afterwards still stops it.
    process.kill(stack.launcher.pid!, 'SIGINT');
    await stack.exited;
    await expectAllGone(stack, 'after SIGINT');
    expect(stack.output()).toMatch(/parent shell \d+ was signalled.*shutting down/);
  }, 60_000);
});

describe('watchParent (on a made-up /proc)', () => {
  const shell = (over: Partial<ProcInfo> = {}): ProcInfo => ({
    ppid: 50,
    state: 'S',
    voluntarySwitches: 2,
    argv: ['sh', '-c', 'node --import tsx scripts/start.ts'],
    ...over,
  });
  function watch(table: Map<number, ProcInfo>) {
    const reasons: string[] = [];
    const end = watchParent((r) => reasons.push(r), {
      parentPid: 100,
      intervalMs: 20,
      readProc: (pid) => table.get(pid) ?? null,
    });
    onTestFinished(end);
    return reasons;
  }
  const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

  it('takes a wake-up of the `sh -c` parent for the SIGINT it kept', async () => {
    const table = new Map([[100, shell()]]);
    const reasons = watch(table);
    await settle(100);
    expect(reasons).toEqual([]);
    table.set(100, shell({ voluntarySwitches: 3 }));
    await settle();
    expect(reasons).toEqual(['parent shell 100 was signalled (a shell does not pass SIGINT on)']);
  });

  it('takes a wake-up that comes before its first look (a Ctrl-C right after start)', async () => {
    const table = new Map([[100, shell()]]);
    const reasons = watch(table);
    table.set(100, shell({ voluntarySwitches: 3 }));
    await settle();
    expect(reasons).toEqual(['parent shell 100 was signalled (a shell does not pass SIGINT on)']);
  });

  it('ignores wake-ups while the shell is stopped and just after we were continued', async () => {
    const table = new Map([[100, shell()]]);
    const reasons = watch(table);
    await settle(100);
    table.set(100, shell({ state: 'T', voluntarySwitches: 3 }));
    await settle(100);
    table.set(100, shell({ voluntarySwitches: 4 }));
    process.emit('SIGCONT', 'SIGCONT');
    await settle();
    expect(reasons).toEqual([]);
  });

  it('does not read wake-ups of a shell that runs other children too', async () => {
    const table = new Map([[100, shell({ children: [process.pid, 4242] })]]);
    const reasons = watch(table);
    await settle(100);
    table.set(100, shell({ voluntarySwitches: 3, children: [process.pid] }));
    await settle();
    expect(reasons).toEqual([]);
    table.delete(100);
    await settle();
    expect(reasons).toEqual(['parent process 100 exited']);
  });

  it('notices the shell losing its parent (npm killed) and the parent exiting', async () => {
    const table = new Map([[100, shell()]]);
    const reasons = watch(table);
    await settle(100);
    table.set(100, shell({ ppid: 1 }));
    await settle();
    expect(reasons).toEqual(["the shell's parent process 50 exited"]);

    const other = new Map([[100, shell({ argv: ['/usr/bin/node', 'npm-cli.js', 'start'] })]]);
    const otherReasons = watch(other);
    await settle(100);
    other.set(100, shell({ argv: ['/usr/bin/node'], voluntarySwitches: 9 }));
    await settle();
    expect(otherReasons, 'a parent that is not a `sh -c`: only its exit counts').toEqual([]);
    other.delete(100);
    await settle();
    expect(otherReasons).toEqual(['parent process 100 exited']);
  });
});

describe('restartDelay', () => {
  it('doubles from the first delay up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => restartDelay(DEFAULT_RESTART_POLICY, n));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
  });
});
