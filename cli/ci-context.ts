/**
 * Git context of the CI job, read from GitHub Actions' environment so `evalforge run` in a workflow
 * needs no --sha/--branch flags. For pull requests the head commit is used, not the merge commit
 * that GITHUB_SHA names.
 */
import fs from 'node:fs';

export interface CiContext {
  sha?: string;
  branch?: string;
  baseBranch?: string;
  prNumber?: number;
  /** Same for a retried step of one workflow attempt, so a retry finds the run it started. */
  idempotencySeed?: string;
  inCi: boolean;
}

export function readCiContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const inCi = env.CI === 'true' || env.CI === '1' || env.GITHUB_ACTIONS === 'true';
  if (env.GITHUB_ACTIONS !== 'true') return { inCi };
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = event?.pull_request;
  return {
    inCi,
    sha: pr?.head?.sha ?? env.GITHUB_SHA,
    branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME,
    baseBranch: env.GITHUB_BASE_REF || undefined,
    prNumber: typeof pr?.number === 'number' ? pr.number : undefined,
    idempotencySeed: env.GITHUB_RUN_ID
      ? `gha:${env.GITHUB_REPOSITORY}:${env.GITHUB_RUN_ID}:${env.GITHUB_RUN_ATTEMPT ?? '1'}:${env.GITHUB_JOB ?? ''}`
      : undefined,
  };
}

interface ActionsEvent {
  pull_request?: { number?: number; head?: { sha?: string } };
}

function readEvent(path: string | undefined): ActionsEvent | null {
  if (!path) return null;
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8')) as ActionsEvent;
  } catch {
    return null;
  }
}
