/**
 * The GitHub App as a client: a Probot instance (webhook verification, App JWT, installation tokens,
 * retries and rate-limit throttling) built from settings. The API adds webhook handlers to it; the
 * worker only uses it to report finished runs.
 */
import { Probot, ProbotOctokit } from 'probot';
import type { Logger } from '../lib/logger.js';
import { type GitHubAppSettings, gitHubAppSettingsFromEnv } from './settings.js';

export type InstallationOctokit = ProbotOctokit;

export interface GitHubApp {
  probot: Probot;
  settings: GitHubAppSettings;
  /** An Octokit authenticated as the installation (token exchanged and cached by Probot). */
  installationOctokit(installationId: number): Promise<InstallationOctokit>;
}

const UnthrottledOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
})) as typeof ProbotOctokit;

/**
 * A GitHub request unanswered after this long is aborted (Octokit's retry plugin then retries it): a
 * hanging GitHub must not hold a webhook's background work or a worker's report for minutes.
 */
export const GITHUB_REQUEST_TIMEOUT_MS = 30_000;

const fetchWithTimeout: typeof fetch = (input, init) => {
  const timeout = AbortSignal.timeout(GITHUB_REQUEST_TIMEOUT_MS);
  return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
};

export function createGitHubClient(settings: GitHubAppSettings, logger: Logger): GitHubApp {
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.apiUrl,
    log: logger.child({ name: 'github-app' }),
    request: { fetch: fetchWithTimeout },
    ...(settings.throttle ? {} : { Octokit: UnthrottledOctokit }),
  });
  return {
    probot,
    settings,
    installationOctokit: (installationId) => probot.auth(installationId),
  };
}

let fromEnv: { key: string; app: GitHubApp | null } | undefined;

/** One client per process for the environment's settings; null when the App is not configured. */
export function gitHubClientFromEnv(logger: Logger, env: NodeJS.ProcessEnv = process.env): GitHubApp | null {
  const settings = gitHubAppSettingsFromEnv(env);
  const key = JSON.stringify(settings);
  if (fromEnv?.key !== key) fromEnv = { key, app: settings ? createGitHubClient(settings, logger) : null };
  return fromEnv.app;
}
