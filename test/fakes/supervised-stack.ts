/**
 * `npm start` with stand-in children, for the supervisor's process tests: the same supervision and
 * signal handling (runtime/supervisor.ts, runtime/child-process.ts) as scripts/start.ts, with
 * test/fakes/supervised-child.ts for the Node children and a bare process with no IPC and no parent
 * watch in the place of the Temporal CLI. Writes FAKE_STACK_DIR/supervisor.json like the real one.
 *
 * FAKE_EVENTS: the events file the children append to. FAKE_TEMPORAL_RESTART_MS: how long a restarted
 * "Temporal" takes to come up. FAKE_<NAME>_EXIT_AFTER_MS (LOCAL_LLM, WORKER): crash that long after ready.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../lib/logger.js';
import {
  type ManagedChild,
  manage,
  PROJECT_ROOT,
  type ReadyMessage,
  spawnNodeChild,
  startOrphanReaper,
} from '../../runtime/child-process.js';
import {
  infoWriter,
  ProcessSupervisor,
  runUntilStopped,
  type StackInfo,
  supervisedStack,
} from '../../runtime/supervisor.js';

const dir = process.env.FAKE_STACK_DIR ?? '.';
const events = process.env.FAKE_EVENTS ?? path.join(dir, 'events');
const logger = createLogger('supervisor', 'info');
const childScript = path.join(PROJECT_ROOT, 'test/fakes/supervised-child.ts');

function nodeChild(name: string, env: NodeJS.ProcessEnv = {}) {
  return () =>
    spawnNodeChild(name, childScript, {
      env: { ...process.env, FAKE_NAME: name, FAKE_EVENTS: events, ...env },
      readyTimeoutMs: 30_000,
    });
}

/** Like the Temporal CLI: not Node, no IPC, never notices that its parent is gone. */
const BARE_SOURCE = `
const fs = require('fs');
const event = (what) => fs.appendFileSync(process.env.FAKE_EVENTS, what + ' temporal ' + process.pid + '\\n');
setTimeout(() => { event('ready'); process.stdout.write('up\\n'); }, Number(process.env.FAKE_START_MS));
process.on('SIGTERM', () => { event('sigterm'); event('stopped'); process.exit(0); });
process.on('SIGINT', () => { event('sigint'); event('stopped'); process.exit(0); });
setInterval(() => {}, 1 << 30);
`;
let temporalLaunches = 0;
function bareTemporal(): ManagedChild {
  temporalLaunches += 1;
  const startMs = temporalLaunches > 1 ? (process.env.FAKE_TEMPORAL_RESTART_MS ?? '0') : '0';
  const child = spawn(process.execPath, ['-e', BARE_SOURCE], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FAKE_EVENTS: events, FAKE_START_MS: startMs },
  });
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    child.stdout.once('data', () => resolve({ type: 'ready' }));
    child.once('exit', (code, signal) =>
      reject(new Error(`temporal exited (code ${code}, signal ${signal})`)),
    );
  });
  ready.catch(() => {});
  return manage('temporal', child, ready, { group: true });
}

const writer = infoWriter(path.join(dir, 'supervisor.json'));
const exitAfter = (key: string) => (process.env[key] ? { FAKE_EXIT_AFTER_MS: process.env[key] } : {});

const code = await runUntilStopped({
  logger,
  start: async () => {
    const reaper = startOrphanReaper({ graceMs: 3_000 });
    const supervisor = new ProcessSupervisor({
      logger,
      reaper,
      stopGraceMs: 3_000,
      policy: { maxRestarts: 3, windowMs: 60_000, initialDelayMs: 100, maxDelayMs: 400 },
    });
    const pids: StackInfo['pids'] = { supervisor: process.pid, reaper: reaper.pid };
    const info: StackInfo = {
      supervisorPid: process.pid,
      apiUrl: 'http://127.0.0.1:0',
      temporalAddress: '127.0.0.1:0',
      temporalUiUrl: null,
      databaseEmbedded: true,
      pids,
    };
    let up = false;
    const onReady = (key: string) => (child: ManagedChild) => {
      pids[key] = child.process.pid;
      if (up) void writer.write(info);
    };
    await supervisor.add({
      name: 'postgres',
      restart: false,
      spawn: nodeChild('postgres'),
      onReady: onReady('postgres'),
    }).ready;
    const temporal = supervisor.add({ name: 'temporal', spawn: bareTemporal, onReady: onReady('temporal') });
    await temporal.ready;
    await supervisor.add({
      name: 'local-llm',
      optional: true,
      spawn: nodeChild('local-llm', exitAfter('FAKE_LOCAL_LLM_EXIT_AFTER_MS')),
      onReady: onReady('localLlm'),
    }).ready;
    for (const name of ['worker', 'api']) {
      await supervisor.add({
        name,
        spawn: nodeChild(name, exitAfter(`FAKE_${name.toUpperCase()}_EXIT_AFTER_MS`)),
        dependsOn: [temporal],
        onReady: onReady(name),
      }).ready;
    }
    up = true;
    await writer.write(info);
    return supervisedStack(supervisor, info, { logger, reaper, onStopped: () => writer.remove() });
  },
  onStartError: (err) => logger.error({ err }, 'could not start'),
  onUp: () => fs.appendFileSync(events, `up supervisor ${process.pid}\n`),
});
process.exit(code);
