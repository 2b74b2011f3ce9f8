/**
 * Regenerates the replay fixtures in test/fixtures/workflow-histories: `npm run record:histories`
 * (or `npm run record:histories -- cancelled-mid-run` for some scenarios only).
 *
 * Runs the evalRun scenarios of test/helpers/eval-run-scenarios.ts with fake activities on a throwaway
 * Temporal dev server and saves each run's history as the JSON that `temporal workflow show --output json`
 * writes. A run that continued as new is saved as its first and its last execution.
 * Record BEFORE changing the workflow: the fixtures must come from the code that is deployed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { findTemporalCli, startTemporalDevServer } from '../../runtime/temporal-cli.js';
import { TASK_QUEUES } from '../../temporal.config.js';
import { RECORDED_SCENARIOS } from '../../test/helpers/eval-run-scenarios.js';
import {
  createFakeEvalRunActivities,
  installQuietTemporalRuntime,
  startFakeActivityWorkers,
} from '../../test/helpers/fake-eval-run.js';
import { freePort } from '../../test/helpers/ports.js';
import { gitHubEvent } from '../../workflows/index.js';

const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test/fixtures/workflow-histories');

/** The gitHubEvent workflow's scenario: a pull request whose base commit is evaluated first. */
const GITHUB_EVENT_SCENARIO = 'github-event-waits-for-base';

const only = process.argv.slice(2);
const unknown = only.filter((name) => !(name in RECORDED_SCENARIOS) && name !== GITHUB_EVENT_SCENARIO);
if (unknown.length > 0) {
  console.error(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(RECORDED_SCENARIOS).join(', ')}`,
  );
  process.exit(2);
}

installQuietTemporalRuntime();
const server = await startTemporalDevServer({
  cliPath: findTemporalCli(),
  port: await freePort(),
  uiPort: null,
});
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection, namespace: 'default' });
const fakes = createFakeEvalRunActivities();
const noop = () => {};
const bundle = await bundleWorkflowCode({
  workflowsPath: path.join(PROJECT_ROOT, 'workflows/index.ts'),
  logger: { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop },
});
const workers = await startFakeActivityWorkers({
  address: server.address,
  namespace: 'default',
  activities: fakes.activities,
  workflowBundle: { code: bundle.code },
});

async function save(name: string, workflowId: string, runId: string) {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const file = path.join(HISTORIES_DIR, `${name}.json`);
  await fs.writeFile(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, file)} (${history.events?.length} events)`);
}

try {
  await fs.mkdir(HISTORIES_DIR, { recursive: true });
  for (const [name, scenario] of Object.entries(RECORDED_SCENARIOS)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const { handle } = await scenario({ client, fakes });
    // Failed runs are scenarios too (chunk-failed): record whatever the run ended as.
    await handle.result().catch(() => undefined);
    const last = (await handle.describe()).runId;
    if (last === handle.firstExecutionRunId) {
      await save(name, handle.workflowId, last);
    } else {
      await save(`${name}-first-execution`, handle.workflowId, handle.firstExecutionRunId);
      await save(`${name}-last-execution`, handle.workflowId, last);
    }
  }
  if (only.length === 0 || only.includes(GITHUB_EVENT_SCENARIO)) {
    const handle = await client.workflow.start(gitHubEvent, {
      taskQueue: TASK_QUEUES.orchestration,
      workflowId: `github-event-${GITHUB_EVENT_SCENARIO}`,
      args: [
        {
          deliveryRowId: '00000000-0000-4000-8000-00000000d1e5',
          event: {
            kind: 'pull_request',
            action: 'opened',
            installationId: 1,
            fullName: 'acme/support-bot',
            prNumber: 7,
            headSha: 'a'.repeat(40),
            baseSha: 'b'.repeat(40),
            branch: 'shorter-answers',
            baseBranch: 'main',
          },
        },
      ],
    });
    await handle.result();
    await save(GITHUB_EVENT_SCENARIO, handle.workflowId, handle.firstExecutionRunId);
  }
} finally {
  await workers.stop();
  await connection.close();
  await server.stop();
}
