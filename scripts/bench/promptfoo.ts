/**
 * promptfoo beside EvalForge in the run benchmarks (`bench:runs`, `bench:runs:e2e`): found on this machine
 * (never downloaded) and run over the same prompts, model server and concurrency, without judges.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The model name and prompts every run benchmark sends, so the tools are compared on the same calls. */
export const BENCH_MODEL = 'fake-model';
export const BENCH_SYSTEM_PROMPT = 'You are a helpful assistant.';
export const benchQuestion = (i: number) => `Question ${i}: what is ${i} + ${i}?`;

const PROMPTFOO_TIMEOUT_MS = 5 * 60_000;
const execFileAsync = promisify(execFile);

/** A promptfoo command line, or why there is none. */
export async function findPromptfoo(): Promise<{ cmd: string[] } | { missing: string }> {
  const candidates = [
    ...(process.env.PROMPTFOO_BIN ? [[process.env.PROMPTFOO_BIN]] : []),
    [path.resolve('node_modules/.bin/promptfoo')],
    ['npx', '--no-install', 'promptfoo'],
  ];
  for (const cmd of candidates) {
    try {
      await execFileAsync(cmd[0], [...cmd.slice(1), '--version'], { timeout: 60_000 });
      return { cmd };
    } catch {
      // next candidate
    }
  }
  return { missing: 'not installed (set PROMPTFOO_BIN, or npm i -D promptfoo)' };
}

/** `promptfoo eval` of `samples` questions at `concurrency`: wall seconds, answers received, promptfoo's own time. */
export async function runPromptfoo(
  cmd: string[],
  opts: { llmBaseUrl: string; samples: number; concurrency: number },
) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-bench-promptfoo-'));
  try {
    const prompt = JSON.stringify([
      { role: 'system', content: BENCH_SYSTEM_PROMPT },
      { role: 'user', content: '{{question}}' },
    ]);
    const config = {
      description: 'evalforge run benchmark',
      prompts: [prompt],
      providers: [
        { id: `openai:chat:${BENCH_MODEL}`, config: { apiBaseUrl: opts.llmBaseUrl, apiKey: 'bench' } },
      ],
      tests: 'file://tests.csv',
    };
    await fs.writeFile(path.join(dir, 'promptfooconfig.json'), JSON.stringify(config));
    const rows = Array.from({ length: opts.samples }, (_, i) => `"${benchQuestion(i)}"`);
    await fs.writeFile(path.join(dir, 'tests.csv'), `question\n${rows.join('\n')}\n`);
    const out = path.join(dir, 'out.json');
    const env = {
      ...process.env,
      PROMPTFOO_CONFIG_DIR: path.join(dir, 'home'),
      PROMPTFOO_DISABLE_TELEMETRY: '1',
      PROMPTFOO_DISABLE_UPDATE: '1',
      PROMPTFOO_DISABLE_SHARING: '1',
      PROMPTFOO_DISABLE_REMOTE_GENERATION: '1',
      OPENAI_API_KEY: 'bench',
    };
    const argv = [
      ...cmd.slice(1),
      'eval',
      '-c',
      'promptfooconfig.json',
      '-j',
      String(opts.concurrency),
      '--no-cache',
      '--no-write',
      '--no-table',
      '--no-progress-bar',
      '-o',
      out,
    ];
    const stderr: string[] = [];
    const started = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(cmd[0], argv, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (c: Buffer) => stderr.push(c.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), PROMPTFOO_TIMEOUT_MS);
      child.once('error', reject);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const seconds = (performance.now() - started) / 1000;
    const report = JSON.parse(await fs.readFile(out, 'utf8').catch(() => 'null'));
    if (!report) throw new Error(`promptfoo exited ${code}: ${stderr.join('').slice(-2_000)}`);
    const results: Array<{ response?: { output?: unknown; error?: unknown } }> =
      report.results?.results ?? [];
    const succeeded = results.filter((r) => r.response?.output && !r.response?.error).length;
    const durationMs: number | undefined = report.results?.stats?.durationMs;
    return { seconds, succeeded, innerSeconds: durationMs === undefined ? undefined : durationMs / 1000 };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
