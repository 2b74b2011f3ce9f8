/**
 * POST /api/github/webhooks: the GitHub App's webhook, on the API server. The raw body goes to
 * Probot's verifyAndReceive (HMAC-SHA256 with GITHUB_WEBHOOK_SECRET); handlers run before the reply,
 * so a failed delivery shows as failed on GitHub and can be redelivered (runs are idempotent).
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { errorBody } from '../../api/errors.js';
import type { GitHubApp } from '../client.js';

export const GITHUB_WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub's own cap on a webhook payload. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

const isSignatureError = (err: unknown) => {
  const errors = err instanceof AggregateError ? err.errors : [err];
  return errors.some((e) => /signature does not match/i.test((e as Error)?.message ?? ''));
};

export function gitHubWebhookRoute(deps: ApiDeps, github: GitHubApp | null) {
  const app = new Hono();
  app.post(GITHUB_WEBHOOK_PATH, async (c) => {
    if (!github) {
      return c.json(
        errorBody(
          'github_app_not_configured',
          'set GITHUB_APP_ID, GITHUB_PRIVATE_KEY and GITHUB_WEBHOOK_SECRET',
        ),
        503,
      );
    }
    const signature = c.req.header('x-hub-signature-256');
    const id = c.req.header('x-github-delivery');
    const name = c.req.header('x-github-event');
    if (!signature) return c.json(errorBody('unauthorized', 'missing X-Hub-Signature-256'), 401);
    if (!id || !name)
      return c.json(errorBody('bad_request', 'missing X-GitHub-Delivery or X-GitHub-Event'), 400);
    if (Number(c.req.header('content-length') ?? 0) > MAX_WEBHOOK_BYTES) {
      return c.json(errorBody('payload_too_large', 'webhook payload too large'), 413);
    }
    const payload = await c.req.text();
    try {
      await github.probot.webhooks.verifyAndReceive({ id, name, payload, signature } as never);
    } catch (err) {
      if (isSignatureError(err)) return c.json(errorBody('unauthorized', 'signature does not match'), 401);
      if (/invalid json/i.test((err as Error).message))
        return c.json(errorBody('bad_request', 'body is not JSON'), 400);
      // Probot has logged the handler's error with the delivery id.
      deps.logger.error({ delivery: id, event: name }, 'GitHub webhook handler failed');
      return c.json(
        errorBody('webhook_failed', 'the webhook could not be processed; redeliver it to retry'),
        500,
      );
    }
    return c.json({ ok: true, delivery: id }, 200);
  });
  return app;
}
