/**
 * Replays recorded evalRun histories (test/fixtures/workflow-histories, `npm run record:histories`) on the
 * current workflow code. A change that would make running workflows fail on the next deploy (commands
 * added, removed or reordered without `patched()`) fails here with a DeterminismViolationError.
 * The second half proves the check bites: deliberately broken copies of the workflow must fail it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../lib/project-root.js';
import { installQuietTemporalRuntime } from '../test/helpers/fake-eval-run.js';

const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test/fixtures/workflow-histories');
const FIXTURES = fs
  .readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
/** The evalRun fixtures (the others are of the gitHubEvent workflow, which evalRun edits leave alone). */
const EVAL_RUN_FIXTURES = FIXTURES.filter((f) => !f.startsWith('github-event-'));

// The broken variants below fail workflow tasks on purpose; a real failure shows in the assertions.
installQuietTemporalRuntime({ expectNondeterminism: true });

function loadHistory(file: string) {
  return historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
}

/** The error each fixture's replay ended with (undefined: replayed cleanly), in one replay worker. */
async function replayAll(workflowBundle: WorkflowBundleOption) {
  const histories = FIXTURES.map((file) => ({ workflowId: file, history: loadHistory(file) }));
  const errors = new Map<string, Error | undefined>();
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    errors.set(result.workflowId, result.error);
  }
  return errors;
}

describe('recorded evalRun and gitHubEvent histories', () => {
  it('include every recorded scenario', () => {
    expect(FIXTURES).toEqual(
      expect.arrayContaining([
        'completed-with-baseline.json',
        'cancelled-mid-run.json',
        'cancelled-while-planning.json',
        'budget-exceeded.json',
        'judge-failure.json',
        'continued-as-new-first-execution.json',
        'continued-as-new-last-execution.json',
        'all-samples-failed.json',
        'chunk-failed.json',
        'github-event-waits-for-base.json',
      ]),
    );
  });

  it('replay on the current workflow code without a nondeterminism error', async () => {
    const errors = await replayAll({ codePath: inject('workflowBundlePath') });
    expect([...errors.keys()].sort()).toEqual(FIXTURES);
    const failed = [...errors].filter(([, error]) => error).map(([file, error]) => `${file}: ${error}`);
    expect(failed).toEqual([]);
  });
});

// Each variant is the real workflow source with one edit that is NOT replay-safe.
const BREAKING_CHANGES = [
  {
    name: 'an activity call added before planning without patched()',
    edits: [
      {
        find: 'const plan = input.state?.plan ?? (await bookkeeping.planRun(runId));',
        replace:
          'await bookkeeping.describeWorker();\n    const plan = input.state?.plan ?? (await bookkeeping.planRun(runId));',
      },
    ],
    mustBreak: EVAL_RUN_FIXTURES,
    mustStillReplay: [],
  },
  {
    name: 'two activity calls reordered: regressions detected before the summary',
    edits: [
      {
        find: "progress = { ...progress, phase: 'summarizing' };",
        replace:
          "progress = { ...progress, phase: 'summarizing' };\n" +
          '    if (plan.baselineRunId && plan.judges.length > 0) {\n' +
          '      await bookkeeping.detectRegressions({ runId, baselineRunId: plan.baselineRunId });\n' +
          '    }',
      },
      {
        find:
          '    if (plan.baselineRunId && plan.judges.length > 0) {\n' +
          '      await bookkeeping.detectRegressions({ runId, baselineRunId: plan.baselineRunId });\n' +
          '    }\n' +
          "    return await finish(budgetExceeded ? 'budget_exceeded' : 'completed');",
        replace: "    return await finish(budgetExceeded ? 'budget_exceeded' : 'completed');",
      },
    ],
    // Only runs that reached the summary with a baseline and judges scheduled these two calls.
    mustBreak: ['completed-with-baseline.json', 'all-samples-failed.json'],
    mustStillReplay: ['cancelled-mid-run.json', 'budget-exceeded.json', 'chunk-failed.json'],
  },
];

const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Bundles a copy of workflows/eval-run.ts with `edits` applied, from a scratch folder outside the repo. */
async function bundleVariant(edits: { find: string; replace: string }[]): Promise<WorkflowBundleOption> {
  let source = fs.readFileSync(path.join(PROJECT_ROOT, 'workflows/eval-run.ts'), 'utf8');
  for (const { find, replace } of edits) {
    // Fails loudly when the workflow changed under the edit, instead of bundling an unbroken copy.
    expect(source.indexOf(find), `workflow source no longer contains: ${find}`).toBeGreaterThan(-1);
    source = source.replace(find, replace);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-broken-workflow-'));
  scratchDirs.push(dir);
  // Relative imports point back into the repo; packages resolve from the repo's node_modules.
  fs.writeFileSync(
    path.join(dir, 'eval-run.ts'),
    source.replaceAll("from '../", `from '${path.resolve(PROJECT_ROOT)}/`),
  );
  fs.writeFileSync(path.join(dir, 'index.ts'), "export { evalRun } from './eval-run.js';\n");
  const noop = () => {};
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(dir, 'index.ts'),
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop },
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        modules: [...(config.resolve?.modules ?? []), path.join(PROJECT_ROOT, 'node_modules')],
      },
    }),
  });
  return { code };
}

describe('the replay test catches a breaking workflow change', () => {
  it.each(BREAKING_CHANGES)(
    '$name',
    async ({ edits, mustBreak, mustStillReplay }) => {
      const errors = await replayAll(await bundleVariant(edits));
      for (const file of mustBreak) {
        expect(errors.get(file), file).toBeInstanceOf(DeterminismViolationError);
      }
      for (const file of mustStillReplay) {
        expect(errors.get(file), file).toBeUndefined();
      }
    },
    120_000,
  );
});
