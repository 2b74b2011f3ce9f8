/** Everything the GitHub App adds to the API server; mounted in api/app.ts with one line. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../../api/deps.js';
import { createGitHubClient, type GitHubApp } from '../client.js';
import { gitHubAppSettingsFromEnv } from '../settings.js';
import { gitHubRepositoryRoutes } from './repositories-route.js';
import { gitHubWebhookRoute } from './webhook-route.js';

/**
 * The App's webhook and the repository-link routes. The App comes from the environment
 * (GITHUB_APP_ID…); without it the webhook answers 503 and the link routes still work, since the
 * plain webhook uses the same links.
 */
export function gitHubRoutes(deps: ApiDeps, env: NodeJS.ProcessEnv = process.env) {
  const settings = gitHubAppSettingsFromEnv(env);
  const github: GitHubApp | null = settings ? createGitHubClient(settings, deps.logger) : null;
  const app = new OpenAPIHono();
  app.route('/', gitHubWebhookRoute(deps, github));
  app.route('/', gitHubRepositoryRoutes(deps));
  return app;
}
