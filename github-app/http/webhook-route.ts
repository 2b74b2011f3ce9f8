/**
 * POST /api/github/webhooks: the GitHub App's webhook, on the API server. In the request it only checks
 * the body's size (its own limit, before anything else) and HMAC-SHA256 signature (GITHUB_WEBHOOK_SECRET),
 * dedupes on the signed body, records what the event asks for and starts a durable Temporal workflow for
 * it (workflows/github-event.ts); it answers 202 without ever calling GitHub, so GitHub being slow or down
 * never makes a delivery time out, and the workflow retries the GitHub work until GitHub is back. A
 * replayed body is a duplicate whatever its X-GitHub-Delivery (which is not signed); the run it asked for
 * is keyed by the event itself (run-keys.ts), so it never runs twice.
 */
import crypto from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { errorBody } from '../../api/errors.js';
import { WEBHOOK_MAX_BYTES, webhookBodyLimit } from '../../api/middleware/body-limit.js';
import type { CiEvent } from '../../core/ci-events.js';
import { gitHubEventWorkflowId, TASK_QUEUES } from '../../temporal.config.js';
import { gitHubEvent } from '../../workflows/index.js';
import type { GitHubApp } from '../client.js';
import { signatureMatches } from '../signature.js';
import {
  claimDelivery,
  findDeliveryByBody,
  findRepositoryLink,
  pruneDeliveries,
  recordDeliveryAttempt,
  recordPullRequestHead,
} from '../store.js';
import { acceptEvent, WebhookPayloadError } from './accept-event.js';

export const GITHUB_WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub's own cap on a webhook payload. */
export const MAX_WEBHOOK_BYTES = WEBHOOK_MAX_BYTES;

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Deliveries past their retention are deleted at most this often per process, after an accepted one. */
const PRUNE_EVERY_MS = 60 * 60_000;

export function gitHubWebhookRoute(deps: ApiDeps, github: GitHubApp | null) {
  const app = new Hono();
  let lastPrune = 0;
  const pruneNowAndThen = () => {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    void pruneDeliveries(deps.dataSource).catch((err) =>
      deps.logger.warn({ err }, 'could not prune old webhook deliveries'),
    );
  };
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

    const aboutPullRequest = event.kind === 'pull_request' || event.kind === 'pull_request_closed';
    const link = aboutPullRequest ? await findRepositoryLink(deps.dataSource, event.fullName) : undefined;
    if (link === null) return c.json({ ignored: true, reason: 'repository not linked to a project' }, 202);

    const claimed = await claimDelivery(deps.dataSource, {
      source: 'github_app',
      body_sha256: bodySha256,
      delivery_id: deliveryId,
      event: acceptance.name,
      identity: acceptance.identity,
      task: event as unknown as Record<string, unknown>,
    });
    const log = deps.logger.child({ delivery: deliveryId, event: acceptance.name });
    if (!claimed) {
      // The same body was accepted before: make sure its workflow exists (the process may have stopped
      // between the claim and the start), and start nothing new.
      const previous = await findDeliveryByBody(deps.dataSource, 'github_app', bodySha256);
      if (previous) await startEventWorkflow(previous.id, event).catch(() => undefined);
      log.info({ identity: acceptance.identity }, 'GitHub webhook body already accepted; ignored');
      return c.json({ duplicate: true, delivery: deliveryId }, 202);
    }
    // In delivery order, before the 202: the head the PR comment must describe (a later retry of this
    // event's work must not move it back).
    if (link && event.kind === 'pull_request') {
      await recordPullRequestHead(deps.dataSource, link.id, event.prNumber, event.headSha);
    }
    try {
      await startEventWorkflow(claimed, event);
    } catch (err) {
      // Temporal is down: the delivery is marked failed, so GitHub's "Redeliver" takes it again.
      log.error({ err }, 'could not start the GitHub event workflow');
      await recordDeliveryAttempt(deps.dataSource, claimed, {
        status: 'failed',
        attempts: 0,
        error: 'could not start the workflow',
      }).catch(() => undefined);
      return c.json(errorBody('temporal_unavailable', 'accepted but not started; redeliver it'), 503);
    }
    pruneNowAndThen();
    return c.json({ accepted: true, delivery: deliveryId }, 202);
  });

  /** One workflow per delivery row: a running one is reused, a finished one is not started again; a failed
   * one (its delivery was re-claimed for a redelivery) runs again. */
  async function startEventWorkflow(deliveryRowId: string, event: CiEvent) {
    try {
      await deps.temporal.workflow.start(gitHubEvent, {
        taskQueue: TASK_QUEUES.orchestration,
        workflowId: gitHubEventWorkflowId(deliveryRowId),
        args: [{ event, deliveryRowId }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return app;
}
