/**
 * acceptEvent (in the request, no I/O): reads a verified delivery into a CiEvent (core/ci-events.ts) —
 * small and serializable (ids, names and SHAs, never the payload) — or says why it is ignored. The
 * webhook route then starts the durable workflow that does the work (workflows/github-event.ts →
 * github-app/events/ci-event-handler.ts).
 */
import { z } from 'zod';
import type { CiEvent } from '../../core/ci-events.js';
import { normalizeFullName } from '../../core/links.js';
import { pullRequestRunKey, rerunKey } from '../run-keys.js';

export const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened'] as const;
export const INSTALLATION_ACTIONS = ['deleted', 'suspend', 'unsuspend', 'created'] as const;

export type Acceptance =
  | {
      accepted: true;
      event: CiEvent;
      /** `pull_request.synchronize`… */
      name: string;
      /** What the event is about (logs, the delivery row): its run key, or the check and action. */
      identity: string;
    }
  | { accepted: false; reason: string };

const Sha = z.string().regex(/^[0-9a-f]{40}$/i);
const Installation = z.object({ id: z.number().int().positive() }).nullish();
const Repository = z.object({ full_name: z.string().min(3).max(255) });
const PullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  installation: Installation,
  repository: Repository,
  pull_request: z.object({
    head: z.object({ ref: z.string().min(1).max(255), sha: Sha }),
    base: z.object({ ref: z.string().min(1).max(255), sha: Sha.nullish() }),
  }),
});
const InstallationPayload = z.object({
  action: z.string(),
  installation: z.object({ id: z.number().int().positive() }),
});
const CheckRunPayload = z.object({
  action: z.string(),
  installation: Installation,
  repository: Repository,
  check_run: z.object({
    id: z.number().int().positive(),
    head_sha: Sha,
    external_id: z.string().nullish(),
    pull_requests: z
      .array(
        z.object({
          number: z.number().int().positive(),
          head: z.object({ ref: z.string().min(1).max(255) }),
          base: z.object({ ref: z.string().min(1).max(255) }),
        }),
      )
      .default([]),
  }),
});

export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}

function parse<T extends z.ZodType>(schema: T, payload: unknown, name: string): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new WebhookPayloadError(`${name} payload is missing or has invalid fields: ${where}`);
  }
  return parsed.data;
}

/**
 * Reads a verified delivery: what it asks for, or why it is ignored. Throws WebhookPayloadError when a
 * handled event lacks the fields it needs. No I/O.
 */
export function acceptEvent(name: string, payload: unknown, bodySha256: string): Acceptance {
  const action = (payload as { action?: unknown } | null)?.action;
  const full = typeof action === 'string' ? `${name}.${action}` : name;
  if (name === 'pull_request' && (PULL_REQUEST_ACTIONS as readonly unknown[]).includes(action)) {
    const e = parse(PullRequestPayload, payload, full);
    const event: CiEvent = {
      kind: 'pull_request',
      action: action as (typeof PULL_REQUEST_ACTIONS)[number],
      installationId: e.installation?.id ?? null,
      fullName: e.repository.full_name,
      prNumber: e.number,
      headSha: e.pull_request.head.sha.toLowerCase(),
      baseSha: e.pull_request.base.sha?.toLowerCase() ?? null,
      branch: e.pull_request.head.ref,
      baseBranch: e.pull_request.base.ref,
    };
    // opened, synchronize and reopened ask for the same thing: an evaluation of this head commit.
    return {
      accepted: true,
      event,
      name: full,
      identity: pullRequestRunKey(event.fullName, event.prNumber, event.headSha),
    };
  }
  if (name === 'pull_request' && action === 'closed') {
    const e = parse(PullRequestPayload, payload, full);
    const event: CiEvent = {
      kind: 'pull_request_closed',
      installationId: e.installation?.id ?? null,
      fullName: e.repository.full_name,
      prNumber: e.number,
      headSha: e.pull_request.head.sha.toLowerCase(),
    };
    return {
      accepted: true,
      event,
      name: full,
      identity: `github:pr:${normalizeFullName(event.fullName)}#${event.prNumber}:closed@${event.headSha}`,
    };
  }
  if (name === 'installation' && (INSTALLATION_ACTIONS as readonly unknown[]).includes(action)) {
    const e = parse(InstallationPayload, payload, full);
    const event: CiEvent = {
      kind: 'installation',
      action: action as (typeof INSTALLATION_ACTIONS)[number],
      installationId: e.installation.id,
    };
    return {
      accepted: true,
      event,
      name: full,
      identity: `github:installation:${e.installation.id}:${action}`,
    };
  }
  if (name === 'check_run' && action === 'rerequested') {
    const e = parse(CheckRunPayload, payload, full);
    const pr = e.check_run.pull_requests[0];
    const event: CiEvent = {
      kind: 'check_run_rerequested',
      installationId: e.installation?.id ?? null,
      fullName: e.repository.full_name,
      checkRunId: e.check_run.id,
      headSha: e.check_run.head_sha.toLowerCase(),
      externalId: e.check_run.external_id ?? null,
      pullRequest: pr ? { number: pr.number, branch: pr.head.ref, baseBranch: pr.base.ref } : null,
      runKey: rerunKey(e.check_run.id, bodySha256),
    };
    return {
      accepted: true,
      event,
      name: full,
      identity: `github:check_run:${normalizeFullName(event.fullName)}:${event.checkRunId}:rerequested`,
    };
  }
  return { accepted: false, reason: `${full} is not handled` };
}
