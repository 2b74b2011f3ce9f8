/**
 * `evalforge comment`: the run's report (GET /api/ci/report/{id}, the markdown the step summary shows) as
 * one comment on the pull request, created the first time and edited in place after that: the comment is
 * found by the hidden marker it starts with. Uses the job's GITHUB_TOKEN against GITHUB_API_URL only.
 */
import { isFinalRunStatus, type RunStatus } from '../../core/run-status.js';
import { readCiContext } from '../ci-context.js';
import { type CliContext, print, printJson } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { positiveInt, usageError } from '../flags.js';
import { DEFAULT_GITHUB_API_URL, GitHubApi } from '../github-api.js';
import { writeGithubOutput } from '../github-output.js';
import { fetchRunReport } from '../report.js';
import { resolveRun } from '../resolve.js';

/** First line of the comment this command owns (invisible on GitHub). */
export const ACTION_COMMENT_MARKER = '<!-- evalforge:action-comment -->';
/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;

export interface CommentFlags {
  repo?: string;
  pr?: string;
  run?: string;
}

export async function commentCommand(ctx: CliContext, f: CommentFlags): Promise<number> {
  const fullName = f.repo ?? ctx.env.GITHUB_REPOSITORY;
  if (!fullName) throw usageError('--repo <owner/name> is required (or GITHUB_REPOSITORY)');
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(fullName);
  if (!m) throw usageError(`--repo must be owner/name, not "${fullName}"`);
  const [, owner, repo] = m;
  const pr = positiveInt(f.pr, 'pr') ?? readCiContext(ctx.env).prNumber;
  if (!pr) throw usageError('--pr <number> is required (not a pull_request event)');
  if (!f.run) throw usageError('--run <run-id> is required');
  const token = ctx.env.GITHUB_TOKEN;
  if (!token) throw new CliError('GITHUB_TOKEN is not set: the comment is posted with it', EXIT.USAGE);
  const github = new GitHubApi(ctx.env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL, token);

  const runId = await resolveRun(ctx, f.run, { flag: '--run' });
  const report = await fetchRunReport(ctx, runId);
  const body = commentBody(report.markdown, report.run.status, report.url);
  const existing = (await github.listIssueComments(owner, repo, pr)).find((c) =>
    c.body?.startsWith(ACTION_COMMENT_MARKER),
  );
  const comment = existing
    ? await github.updateIssueComment(owner, repo, existing.id, body)
    : await github.createIssueComment(owner, repo, pr, body);
  const action = existing ? 'updated' : 'created';
  if (comment.html_url) writeGithubOutput(ctx.env, 'comment-url', comment.html_url);
  if (ctx.json) printJson(ctx, { action, id: comment.id, url: comment.html_url ?? null, run_id: runId });
  else
    print(
      ctx,
      `comment ${comment.id} ${action} on ${owner}/${repo}#${pr}${comment.html_url ? `: ${comment.html_url}` : ''}`,
    );
  return EXIT.OK;
}

export function commentBody(markdown: string, status: string, url: string | null): string {
  const pending = isFinalRunStatus(status as RunStatus) ? '' : `> ⏳ The run is still **${status}**.\n\n`;
  let body = `${ACTION_COMMENT_MARKER}\n${pending}${markdown}`;
  if (body.length > MAX_COMMENT_CHARS) {
    const tail = `\n\n… (cut to fit a GitHub comment${url ? `: the full report is at ${url}` : ''})`;
    let head = body.slice(0, MAX_COMMENT_CHARS - tail.length);
    // Never half a surrogate pair (an emoji cut in two is not valid text).
    if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
    body = `${head}${tail}`;
  }
  return body;
}
