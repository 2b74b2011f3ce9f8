/** GitHub treats `Owner/Repo` and `owner/repo` as the same repository. */
export const normalizeFullName = (fullName: string) => fullName.trim().toLowerCase();

/** The dashboard's run page (served by the API at its public URL). */
export const RUN_PAGE_PATH = '/runs/';
/** The dashboard's side-by-side comparison of two runs (web/src/pages/ComparePage.tsx). */
export const COMPARE_PAGE_PATH = '/compare';

export const runPageUrl = (publicUrl: string | null, runId: string) =>
  publicUrl ? `${publicUrl}${RUN_PAGE_PATH}${encodeURIComponent(runId)}` : null;

/** The compare page with both runs picked: `a` is the baseline, `b` the candidate (as the page reads them). */
export function comparePageUrl(
  publicUrl: string | null,
  runs: { projectId: string; baselineRunId: string; candidateRunId: string },
): string | null {
  if (!publicUrl) return null;
  const query = new URLSearchParams({
    project: runs.projectId,
    a: runs.baselineRunId,
    b: runs.candidateRunId,
  });
  return `${publicUrl}${COMPARE_PAGE_PATH}?${query}`;
}

/** owner/repo as GitHub allows them (a repository is never named `.` or `..`). */
const FULL_NAME = /^[A-Za-z0-9-]+\/(?!\.+$)[A-Za-z0-9._-]+$/;
const COMMIT_SHA = /^[0-9a-f]{7,40}$/i;

/** https://github.com/<owner>/<repo>/commit/<sha>, or null when either part is not what GitHub accepts. */
export function gitHubCommitUrl(fullName: string | null | undefined, sha: string | null | undefined) {
  const name = fullName?.trim();
  if (!name || !sha || !FULL_NAME.test(name) || !COMMIT_SHA.test(sha)) return null;
  return `https://github.com/${name}/commit/${sha.toLowerCase()}`;
}

export function splitFullName(fullName: string) {
  const [owner, repo] = fullName.split('/');
  return { owner, repo };
}
