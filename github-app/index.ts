export { createGitHubClient, type GitHubApp, gitHubClientFromEnv } from './client.js';
export { gitHubRoutes } from './http/routes.js';
export { type CheckConclusion, decideCheckConclusion } from './reporting/conclusion.js';
export {
  type GitHubReportDeps,
  type GitHubReportOptions,
  type GitHubReportOutcome,
  reportRunToGitHub,
} from './reporting/report.js';
export { type GitHubAppSettings, gitHubAppSettingsFromEnv } from './settings.js';
