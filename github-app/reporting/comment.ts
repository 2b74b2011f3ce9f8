/** The one EvalForge comment on a pull request: updated in place on every report, never duplicated. */

import { splitFullName } from '../../core/links.js';
import type { InstallationOctokit } from '../client.js';

/** Hidden in the rendered comment; finds our comment when its id was not stored (or was lost). */
export const COMMENT_MARKER = '<!-- evalforge:pr-comment -->';

/** GitHub's limit for a comment body. */
export const MAX_COMMENT_BODY = 65_536;

export function commentBody(markdown: string) {
  const body = `${COMMENT_MARKER}\n${markdown}`;
  return body.length <= MAX_COMMENT_BODY ? body : `${body.slice(0, MAX_COMMENT_BODY - 20)}\n\n…(truncated)`;
}

const status = (err: unknown) => (err as { status?: number }).status;

/** Updates the stored comment, else the one carrying the marker, else creates one. Returns its id. */
export async function upsertPullRequestComment(
  octokit: InstallationOctokit,
  target: { fullName: string; prNumber: number },
  storedCommentId: number | null,
  markdown: string,
): Promise<number> {
  const repo = splitFullName(target.fullName);
  const body = commentBody(markdown);
  if (storedCommentId !== null) {
    try {
      await octokit.rest.issues.updateComment({ ...repo, comment_id: storedCommentId, body });
      return storedCommentId;
    } catch (err) {
      // Deleted by someone: look for another of ours, else start a new one.
      if (status(err) !== 404) throw err;
    }
  }
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: target.prNumber,
    per_page: 100,
  });
  // Only a bot's comment can be ours (and only ours can be edited): a person quoting it is not.
  const ours = comments.find((c) => c.user?.type === 'Bot' && c.body?.includes(COMMENT_MARKER));
  if (ours) {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: ours.id, body });
    return ours.id;
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: target.prNumber, body });
  return data.id;
}
