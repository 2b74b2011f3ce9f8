/**
 * The few GitHub REST calls `evalforge comment` makes, with the job's token. Every request goes to
 * GITHUB_API_URL (api.github.com, or a GitHub Enterprise Server's /api/v3): a pagination link elsewhere is
 * refused and redirects are not followed, so the token is never sent to another host.
 */
import { sleep } from './api-client.js';
import { CliError, EXIT } from './exit-codes.js';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
const API_VERSION = '2022-11-28';
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 1_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** A pull request with more comments than this many pages of 100 is not searched further. */
const MAX_PAGES = 50;

export interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string; type?: string } | null;
}

export class GitHubApi {
  private readonly base: URL;

  constructor(
    apiUrl: string,
    private readonly token: string,
  ) {
    let base: URL;
    try {
      base = new URL(apiUrl.replace(/\/+$/, ''));
    } catch {
      throw new CliError(`GITHUB_API_URL is not a URL: "${apiUrl}"`, EXIT.USAGE);
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:')
      throw new CliError(`GITHUB_API_URL must be an http(s) URL, not "${apiUrl}"`, EXIT.USAGE);
    this.base = base;
  }

  /** Whether a URL lies under GITHUB_API_URL (same origin, same base path). */
  private isOurs(url: URL) {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    return url.origin === this.base.origin && (basePath === '' || url.pathname.startsWith(`${basePath}/`));
  }

  private url(path: string) {
    return new URL(`${this.base.href.replace(/\/+$/, '')}${path}`);
  }

  async listIssueComments(owner: string, repo: string, issue: number): Promise<IssueComment[]> {
    const comments: IssueComment[] = [];
    let next: URL | null = this.url(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${issue}/comments?per_page=100`,
    );
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const { data, link } = await this.request<IssueComment[]>('GET', next);
      comments.push(...data);
      next = nextPage(link);
      if (next && !this.isOurs(next))
        throw new CliError(
          `GitHub sent a next-page link outside GITHUB_API_URL: ${next.origin}`,
          EXIT.API_ERROR,
        );
    }
    return comments;
  }

  async createIssueComment(owner: string, repo: string, issue: number, body: string) {
    const url = this.url(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${issue}/comments`,
    );
    // Not repeated: a POST whose answer was lost may have created the comment already.
    return (await this.request<IssueComment>('POST', url, { body }, 1)).data;
  }

  async updateIssueComment(owner: string, repo: string, id: number, body: string) {
    const url = this.url(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/comments/${id}`,
    );
    return (await this.request<IssueComment>('PATCH', url, { body })).data;
  }

  private async request<T>(
    method: string,
    url: URL,
    json?: unknown,
    attempts = ATTEMPTS,
  ): Promise<{ data: T; link: string | null }> {
    let lastError: CliError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(RETRY_DELAY_MS * (attempt - 1));
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          redirect: 'error',
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.token}`,
            'user-agent': 'evalforge-cli',
            'x-github-api-version': API_VERSION,
            ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: json === undefined ? undefined : JSON.stringify(json),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        lastError = new CliError(
          `cannot reach GitHub at ${this.base.origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
          EXIT.UNAVAILABLE,
        );
        continue;
      }
      if (res.ok) return { data: (await res.json()) as T, link: res.headers.get('link') };
      const text = await res.text();
      let message = text.slice(0, 200);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {}
      const what = `GitHub ${method} ${url.pathname}: ${res.status} ${message}`;
      if (res.status >= 500) {
        lastError = new CliError(what, EXIT.UNAVAILABLE);
        continue;
      }
      const hint =
        res.status === 401
          ? ' (is GITHUB_TOKEN set to the job token?)'
          : res.status === 403 || res.status === 404
            ? ' (the job needs `permissions: pull-requests: write`)'
            : '';
      throw new CliError(`${what}${hint}`, EXIT.API_ERROR);
    }
    throw lastError!;
  }
}

/** The rel="next" URL of a Link header. */
export function nextPage(link: string | null): URL | null {
  for (const part of link?.split(',') ?? []) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) {
      try {
        return new URL(m[1]);
      } catch {
        return null;
      }
    }
  }
  return null;
}
