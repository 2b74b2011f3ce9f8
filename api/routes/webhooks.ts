/**
 * CI without the GitHub App: a plain repository webhook (`POST /api/webhook/github`, HMAC-verified
 * with GITHUB_WEBHOOK_SECRET) starts runs for pushes and pull requests of linked repositories. How
 * those runs went is read from the CI routes (routes/ci.ts). It makes no GitHub API call, so it answers
 * as soon as the run is started. Deduped on the event itself, never on X-GitHub-Delivery (not signed):
 * the run key is repository + branch + commit for a push and repository + PR + head commit for a pull
 * request, so a redelivered or replayed body finds the run it started.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { EvalRun } from '../../db/entities/index.js';
import { touchesPaths } from '../../github-app/path-filter.js';
import { pullRequestRunKey, pushRunKey } from '../../github-app/run-keys.js';
import { signatureMatches } from '../../github-app/signature.js';
import { findRepositoryLink } from '../../github-app/store.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, errorBody } from '../errors.js';
import { webhookBodyLimit } from '../middleware/body-limit.js';
import { CommitSha } from '../schemas/common.js';
import { startRun } from '../services/runs.js';

const HANDLED_PR_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);
const ZERO_SHA = /^0+$/;
const Repository = z.object({ full_name: z.string().min(3) });
const PushEvent = z.object({
  ref: z.string(),
  after: CommitSha,
  deleted: z.boolean().optional(),
  repository: Repository,
  commits: z
    .array(
      z.object({
        added: z.array(z.string()).default([]),
        modified: z.array(z.string()).default([]),
        removed: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});
const PullRequestEvent = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  repository: Repository,
  pull_request: z.object({
    head: z.object({ ref: z.string().min(1), sha: CommitSha }),
    base: z.object({ ref: z.string().min(1) }),
  }),
});

type Outcome = { status: 202; body: Record<string, unknown> };
const ignored = (reason: string): Outcome => ({ status: 202, body: { ignored: true, reason } });

export function webhookRoutes(deps: ApiDeps, env: NodeJS.ProcessEnv = process.env) {
  const app = new OpenAPIHono();
  const secret = env.GITHUB_WEBHOOK_SECRET || null;

  // Not an OpenAPI route: the body must stay raw bytes until its signature is checked. Its own body limit
  // (GitHub's 25 MB) applies before that, not the API's JSON limit.
  app.post('/api/webhook/github', webhookBodyLimit(), async (c) => {
    if (!secret)
      return c.json(errorBody('webhook_not_configured', 'set GITHUB_WEBHOOK_SECRET on the server'), 503);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!signatureMatches(secret, raw, c.req.header('x-hub-signature-256'))) {
      return c.json(errorBody('unauthorized', 'missing or invalid X-Hub-Signature-256'), 401);
    }
    const event = c.req.header('x-github-event');
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      return c.json(
        errorBody('bad_request', 'the body is not JSON (set the webhook content type to application/json)'),
        400,
      );
    }
    let outcome: Outcome;
    if (event === 'ping') outcome = { status: 202, body: { ok: true } };
    else if (event === 'push') outcome = await onPush(deps, PushEvent.parse(payload));
    else if (event === 'pull_request') outcome = await onPullRequest(deps, PullRequestEvent.parse(payload));
    else outcome = ignored(`event ${event ?? '(none)'} is not handled`);
    return c.json(outcome.body, outcome.status);
  });

  return app;
}

async function linkOr404(deps: ApiDeps, fullName: string) {
  const link = await findRepositoryLink(deps.dataSource, fullName);
  if (!link) {
    throw new ApiError(
      404,
      'repository_not_linked',
      `${fullName} is not linked to a project (PUT /api/github/repositories/${fullName})`,
    );
  }
  return link;
}

async function onPush(deps: ApiDeps, e: z.infer<typeof PushEvent>): Promise<Outcome> {
  if (!e.ref.startsWith('refs/heads/')) return ignored('not a branch push');
  if (e.deleted || ZERO_SHA.test(e.after)) return ignored('branch deleted');
  const link = await linkOr404(deps, e.repository.full_name);
  const branch = e.ref.slice('refs/heads/'.length);
  const changed = e.commits.flatMap((c) => [...c.added, ...c.modified, ...c.removed]);
  if (!touchesPaths(changed, link.path_filters)) return ignored('no changed file matches the path filters');
  return started(
    await startRun(deps, {
      project_id: link.project_id,
      dataset_id: link.dataset_id,
      endpoint_id: link.endpoint_id,
      trigger_type: 'ci',
      git_commit_sha: e.after,
      git_branch: branch,
      idempotency_key: pushRunKey(e.repository.full_name, branch, e.after),
    }),
  );
}

/** Pull request payloads carry no file list (that needs the App's API access): path filters apply to pushes only. */
async function onPullRequest(deps: ApiDeps, e: z.infer<typeof PullRequestEvent>): Promise<Outcome> {
  if (!HANDLED_PR_ACTIONS.has(e.action)) return ignored(`pull_request ${e.action} is not handled`);
  const link = await linkOr404(deps, e.repository.full_name);
  const { head, base } = e.pull_request;
  return started(
    await startRun(deps, {
      project_id: link.project_id,
      dataset_id: link.dataset_id,
      endpoint_id: link.endpoint_id,
      trigger_type: 'ci',
      git_commit_sha: head.sha,
      git_branch: head.ref,
      git_base_branch: base.ref,
      pr_number: e.number,
      idempotency_key: pullRequestRunKey(e.repository.full_name, e.number, head.sha),
    }),
  );
}

const started = ({ run, created }: { run: EvalRun; created: boolean }): Outcome => ({
  status: 202,
  body: { run_id: run.id, created, status: run.status },
});
