/** A finished run's report from the server (GET /api/ci/report/{id}), and the GitHub step summary. */
import fs from 'node:fs/promises';
import type { GateDecision } from '../core/gate.js';
import { runPageUrl } from '../core/links.js';
import type { CliContext } from './context.js';
import type { RunJson } from './wait.js';

export interface RunReportJson {
  run: RunJson;
  url: string | null;
  /** The seed's PR-comment markdown, rendered by the server. */
  markdown: string;
  verdict: 'pass' | 'fail' | 'error' | null;
  /** The server's gate, decided under the policy asked for. */
  gate: GateDecision;
  blocking_failures: string[];
  regressions: string[];
}

export async function fetchRunReport(
  ctx: CliContext,
  runId: string,
  policy: { failOnRegression: boolean } = { failOnRegression: false },
): Promise<RunReportJson> {
  const query = policy.failOnRegression ? '?fail_on_regression=true' : '';
  const report = await ctx.api.get<RunReportJson>(`/api/ci/report/${encodeURIComponent(runId)}${query}`);
  // The dashboard is served by the API: without a configured public URL, link to the one we called.
  return { ...report, url: report.url ?? runPageUrl(ctx.api.baseUrl, runId) };
}

/** The report plus the gate's outcome, as the job's step summary and terminal output. */
export function withGate(markdown: string, reasons: readonly string[]): string {
  if (reasons.length === 0) return markdown;
  return `${markdown}\n**EvalForge CLI:** ❌ ${reasons.join('; ')}\n`;
}

/** Appends to $GITHUB_STEP_SUMMARY (GitHub Actions shows it on the run's summary page) when set. */
export async function writeStepSummary(env: NodeJS.ProcessEnv, markdown: string) {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) await fs.appendFile(file, `${markdown}\n`);
}
