/** Check runs: GitHub's record of one eval run on one commit. */

import { splitFullName } from '../../core/links.js';
import type { InstallationOctokit } from '../client.js';
import type { CheckConclusion } from './conclusion.js';

/** GitHub rejects check output fields longer than this. */
export const MAX_CHECK_TEXT = 65_535;

const truncate = (s: string, max = MAX_CHECK_TEXT) =>
  s.length <= max ? s : `${s.slice(0, max - 20)}\n\n…(truncated)`;

export interface CheckTarget {
  fullName: string;
  headSha: string;
  name: string;
  runId: string;
  detailsUrl: string | null;
}

export async function createInProgressCheck(octokit: InstallationOctokit, t: CheckTarget): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...splitFullName(t.fullName),
    name: t.name,
    head_sha: t.headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    external_id: t.runId,
    ...(t.detailsUrl ? { details_url: t.detailsUrl } : {}),
    output: { title: 'Evaluating…', summary: `EvalForge run \`${t.runId}\` is in progress.` },
  });
  return data.id;
}

/** Points an existing check (opened while the base commit was evaluated) at its run, still in progress. */
export async function markCheckInProgress(
  octokit: InstallationOctokit,
  t: CheckTarget,
  checkRunId: number,
): Promise<number> {
  try {
    await octokit.rest.checks.update({
      ...splitFullName(t.fullName),
      check_run_id: checkRunId,
      status: 'in_progress',
      external_id: t.runId,
      ...(t.detailsUrl ? { details_url: t.detailsUrl } : {}),
      output: { title: 'Evaluating…', summary: `EvalForge run \`${t.runId}\` is in progress.` },
    });
    return checkRunId;
  } catch (err) {
    // Deleted on GitHub's side: open a new one.
    if ((err as { status?: number }).status !== 404) throw err;
    return createInProgressCheck(octokit, t);
  }
}

/** A check for a commit whose evaluation waits on its base commit's run (no EvalForge run of its own yet). */
export async function createWaitingCheck(
  octokit: InstallationOctokit,
  t: Omit<CheckTarget, 'runId'>,
  baseSha: string,
): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...splitFullName(t.fullName),
    name: t.name,
    head_sha: t.headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    output: {
      title: `Evaluating the base commit ${baseSha.slice(0, 7)} first`,
      summary:
        "The pull request is compared with its base commit's evalforge.yaml on the same samples; the base commit has no finished run yet, so it runs first.",
    },
  });
  return data.id;
}

export interface CompletedCheck {
  conclusion: CheckConclusion | 'skipped';
  title: string;
  summary: string;
  text?: string;
}

/** Completes the existing check run, or creates a completed one when there is none to update. */
export async function completeCheck(
  octokit: InstallationOctokit,
  t: CheckTarget,
  checkRunId: number | null,
  result: CompletedCheck,
): Promise<number> {
  const body = {
    ...splitFullName(t.fullName),
    status: 'completed' as const,
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    ...(t.detailsUrl ? { details_url: t.detailsUrl } : {}),
    output: {
      title: truncate(result.title, 255),
      summary: truncate(result.summary),
      ...(result.text ? { text: truncate(result.text) } : {}),
    },
  };
  if (checkRunId !== null) {
    try {
      await octokit.rest.checks.update({ ...body, check_run_id: checkRunId });
      return checkRunId;
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
    }
  }
  const { data } = await octokit.rest.checks.create({
    ...body,
    name: t.name,
    head_sha: t.headSha,
    external_id: t.runId,
  });
  return data.id;
}
