/**
 * The bundled CLI (cli/dist/evalforge.mjs) as the GitHub Action runs it: plain `node`, no tsx, no
 * node_modules, only the environment given; and a child process a test can watch while it runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import type { CliResult } from './cli.js';

export const CLI_BUNDLE_PATH = path.join(PROJECT_ROOT, 'cli/dist/evalforge.mjs');
const CLI_TIMEOUT_MS = 30_000;

export interface RunningCli {
  child: ChildProcess;
  /** Settles when the process exits. */
  result: Promise<CliResult>;
  /** Whether it has exited yet. */
  exited(): boolean;
}

/** Starts `node <script> …args` with `env` as its whole environment (plus PATH). */
export function startNodeScript(
  script: string,
  args: string[],
  opts: { env: Record<string, string>; cwd?: string },
): RunningCli {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let done = false;
  const result = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      done = true;
      resolve({ code, stdout, stderr });
    });
  });
  return { child, result, exited: () => done };
}

/** Runs the bundle to its end. */
export function runCliBundle(args: string[], opts: { env: Record<string, string>; cwd?: string }) {
  return startNodeScript(CLI_BUNDLE_PATH, args, opts).result;
}
