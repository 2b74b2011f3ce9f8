/** GitHub treats `Owner/Repo` and `owner/repo` as the same repository. */
export const normalizeFullName = (fullName: string) => fullName.trim().toLowerCase();

/** The dashboard's run page (served by the API at its public URL). */
export const RUN_PAGE_PATH = '/runs/';

export const runPageUrl = (publicUrl: string | null, runId: string) =>
  publicUrl ? `${publicUrl}${RUN_PAGE_PATH}${encodeURIComponent(runId)}` : null;

export function splitFullName(fullName: string) {
  const [owner, repo] = fullName.split('/');
  return { owner, repo };
}
