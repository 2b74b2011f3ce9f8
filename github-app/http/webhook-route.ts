/**
 * POST /api/github/webhooks: the GitHub App's webhook, on the API server. In the request it only checks
 * the body's size (its own limit, before anything else) and HMAC-SHA256 signature (GITHUB_WEBHOOK_SECRET),
 * dedupes on the signed body, and records what the event asks for; it answers 202 at once and does the
 * GitHub API calls and the run start after the response (background.ts), so GitHub being slow or down
 * never makes a delivery time out. A replayed body is a duplicate whatever its X-GitHub-Delivery (which is
 * not signed); the run it asked for is keyed by the event itself (run-keys.ts), so it never runs twice.
 */
import crypto from 'node:crypto';
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { errorBody } from '../../api/errors.js';
import { WEBHOOK_MAX_BYTES, webhookBodyLimit } from '../../api/middleware/body-limit.js';
import type { GitHubApp } from '../client.js';
import { signatureMatches } from '../signature.js';
import { claimDelivery, findRepositoryLink, recordPullRequestHead } from '../store.js';
import { runAfterResponse } from './background.js';
import { acceptEvent, WebhookPayloadError } from './handlers.js';

export const GITHUB_WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub's own cap on a webhook payload. */
export const MAX_WEBHOOK_BYTES = WEBHOOK_MAX_BYTES;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function gitHubWebhookRoute(deps: ApiDeps, github: GitHubApp | null) {
  const app = new Hono();
  app.post(GITHUB_WEBHOOK_PATH, webhookBodyLimit(MAX_WEBHOOK_BYTES), async (c) => {
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
    const deliveryId = c.req.header('x-github-delivery');
    const name = c.req.header('x-github-event');
    if (!signature) return c.json(errorBody('unauthorized', 'missing X-Hub-Signature-256'), 401);
    if (!deliveryId || !name)
      return c.json(errorBody('bad_request', 'missing X-GitHub-Delivery or X-GitHub-Event'), 400);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!signatureMatches(github.settings.webhookSecret, raw, signature)) {
      return c.json(errorBody('unauthorized', 'signature does not match'), 401);
    }

    let payload: unknown;
    try {
      payload = JSON.parse(utf8.decode(raw));
    } catch {
      return c.json(errorBody('bad_request', 'body is not UTF-8 JSON'), 400);
    }
    let acceptance: ReturnType<typeof acceptEvent>;
    const bodySha256 = crypto.createHash('sha256').update(raw).digest('hex');
    try {
      acceptance = acceptEvent(name, payload, bodySha256);
    } catch (err) {
      if (err instanceof WebhookPayloadError) return c.json(errorBody('bad_request', err.message), 400);
      throw err;
    }
    if (!acceptance.accepted) return c.json({ ignored: true, reason: acceptance.reason }, 202);
    const { event } = acceptance;

    const link =
      event.kind === 'pull_request' ? await findRepositoryLink(deps.dataSource, event.fullName) : undefined;
    if (link === null) return c.json({ ignored: true, reason: 'repository not linked to a project' }, 202);

    const id = await claimDelivery(deps.dataSource, {
      source: 'github_app',
      body_sha256: bodySha256,
      delivery_id: deliveryId,
      event: acceptance.name,
      identity: acceptance.identity,
      task: event as unknown as Record<string, unknown>,
    });
    if (!id) {
      deps.logger.info(
        { delivery: deliveryId, event: acceptance.name, identity: acceptance.identity },
        'GitHub webhook body already accepted; ignored',
      );
      return c.json({ duplicate: true, delivery: deliveryId }, 202);
    }
    // In delivery order, before the 202: the head the PR comment must describe (a later retry of this
    // event's work must not move it back).
    if (link && event.kind === 'pull_request') {
      await recordPullRequestHead(deps.dataSource, link.id, event.prNumber, event.headSha);
    }
    void runAfterResponse(deps, github, { id, deliveryId, name: acceptance.name, event });
    return c.json({ accepted: true, delivery: deliveryId }, 202);
  });
  return app;
}
