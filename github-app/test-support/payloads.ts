/** Real webhook payloads from @octokit/webhooks-examples, with an installation and the fields a test varies. */
import examples from '@octokit/webhooks-examples';

// biome-ignore lint/suspicious/noExplicitAny: webhook examples are deep JSON that tests edit by path
type Json = Record<string, any>;

function example(event: string, pick: (e: Json) => boolean): Json {
  const found = (examples as unknown as Array<{ name: string; examples: Json[] }>)
    .find((d) => d.name === event)
    ?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example`);
  return structuredClone(found);
}

export const EXAMPLE_REPOSITORY = 'Codertocat/Hello-World';
export const EXAMPLE_PR_NUMBER = 2;
export const INSTALLATION_ID = 7_700_001;

export function pullRequestEvent(
  action: 'opened' | 'synchronize' | 'reopened' | 'closed',
  opts: { headSha?: string; prNumber?: number; installationId?: number; fullName?: string } = {},
): Json {
  const e = example('pull_request', (p) => p.action === action);
  e.installation = {
    id: opts.installationId ?? INSTALLATION_ID,
    node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==',
  };
  if (opts.headSha) e.pull_request.head.sha = opts.headSha;
  if (opts.prNumber) {
    e.number = opts.prNumber;
    e.pull_request.number = opts.prNumber;
  }
  if (opts.fullName) e.repository.full_name = opts.fullName;
  return e;
}

export function checkRunRerequestedEvent(opts: {
  checkRunId: number;
  headSha: string;
  externalId: string;
}): Json {
  const e = example('check_run', (p) => p.action === 'rerequested');
  e.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  // The example is for another repository; make it this test's linked one.
  e.repository = pullRequestEvent('opened').repository;
  e.check_run.id = opts.checkRunId;
  e.check_run.head_sha = opts.headSha;
  e.check_run.external_id = opts.externalId;
  return e;
}

export function pushEvent(opts: { ref?: string; after?: string; files?: string[] } = {}): Json {
  const e = example('push', (p) => p.ref === 'refs/heads/master' && p.commits.length > 0);
  if (opts.ref) e.ref = opts.ref;
  if (opts.after) e.after = opts.after;
  if (opts.files) e.commits = [{ ...e.commits[0], added: [], removed: [], modified: opts.files }];
  return e;
}
