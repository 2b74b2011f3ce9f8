/**
 * The first eval from an empty install, in the dashboard only (no API calls, no seed, no terminal), as one
 * continuous flow: create a project → a dataset from pasted CSV → an endpoint on the local fake LLM server,
 * tested with Test connection before it is saved, then saved → a guardrail from the form generated from the
 * judge's config schema (assertions: contains "Fake answer") → New run → the run page showing it completed
 * and scored → a second endpoint and a second run with the first as its baseline → the compare page →
 * a human review of a result → the review and the judges' agreement with it on the run page.
 * Every page it visits passes the accessibility checks (a11y.ts). Screenshots of each step land in
 * test-artifacts/screenshots/first-eval-*.png (copies in docs/first-eval/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../temporal.config.js';
import { accessibilityProblems } from './a11y.js';
import { type Harness, type RunWorker, screenshot, startHarness, startRunWorker } from './harness.js';

let h: Harness;
let worker: RunWorker;

beforeAll(async () => {
  h = await startHarness();
  // The run's model calls, and the assertions judge (a rule judge on judges.cpu).
  worker = await startRunWorker(h, {
    queues: [TASK_QUEUES.orchestration, TASK_QUEUES.llm, TASK_QUEUES.judgesCpu],
  });
});
afterAll(async () => {
  await worker?.stop();
  await h?.close();
});

const POLL_TIMEOUT_MS = 15_000;
/** The whole run: 4 samples, model calls and one rule judge, on a loaded 2-core machine. */
const RUN_TIMEOUT_MS = 120_000;
const eventually = <T>(fn: () => T | Promise<T>, timeout = POLL_TIMEOUT_MS) =>
  expect.poll(fn, { timeout, interval: 250 });

const PROJECT = 'My first eval';
const ENDPOINT = 'Local fake LLM';
/** The second run's endpoint: a "new model" whose every answer passes the guardrail. */
const ENDPOINT_V2 = 'Local fake LLM v2';
const MODEL_V2 = 'fake-model-v2';
/** Two arithmetic questions (the fake model answers with the number) and two others ("Fake answer … to: …"). */
const PASTED_CSV = [
  'input_text,reference_output',
  'What is 2 + 3?,5',
  'What is 10 + 7?,17',
  'Say hello to a new customer.,Hello!',
  'Describe your refund policy.,30 days',
].join('\n');

const form = (name: string) => h.page.getByRole('form', { name, exact: true });
/** Accessibility problems of every page the flow visits, checked once at the end so all are reported. */
const a11y: Record<string, unknown> = {};
const checkA11y = async (name: string) => Object.assign(a11y, await accessibilityProblems(h.page, name));

describe('first eval from an empty install', () => {
  it('creates everything from the dashboard, runs and compares two evals, and records a human review', {
    timeout: 480_000,
  }, async () => {
    const { page } = h;

    // 1. The empty install: no projects, a form to create one.
    await page.goto(`${h.baseUrl}/`);
    await page.getByText('No projects yet.').waitFor();
    await checkA11y('projects-empty');
    await form('New project').getByLabel('Name').fill(PROJECT);
    await form('New project').getByLabel('Description').fill('Created from the dashboard');
    await screenshot(page, 'first-eval-01-new-project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    const projectId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: PROJECT }).waitFor();
    await page.getByRole('button', { name: 'New run' }).waitFor();
    await checkA11y('project-empty');

    // 2. A dataset from pasted CSV, through the upload API.
    await page.locator(`a[href="/datasets?project=${projectId}"]`).first().click();
    await page.waitForURL(/\/datasets\?project=/);
    const newDataset = form('New dataset');
    await newDataset.getByLabel('Name').fill('Smoke test');
    await newDataset.getByLabel('Samples text').fill(PASTED_CSV);
    await checkA11y('datasets');
    await screenshot(page, 'first-eval-02-dataset-paste');
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await page.waitForURL(/\/datasets\/[0-9a-f-]{36}/);
    await eventually(() => page.getByText('What is 10 + 7?').count()).toBeGreaterThan(0);
    await checkA11y('dataset');
    await screenshot(page, 'first-eval-03-dataset');

    // 3. An endpoint on the local fake LLM server. Test connection BEFORE saving it: one real request made
    //    by a worker with what the form holds; nothing is stored until "Add endpoint".
    await page.goto(`${h.baseUrl}/settings?project=${projectId}`);
    const newEndpoint = form('Add endpoint');
    await newEndpoint.waitFor();
    const fillEndpoint = async (name: string, model: string) => {
      await newEndpoint.getByLabel('Name', { exact: true }).fill(name);
      await newEndpoint.locator('select[name="provider"]').selectOption('openai');
      await newEndpoint.getByLabel('Model', { exact: true }).fill(model);
      await newEndpoint.getByLabel('Endpoint URL', { exact: true }).fill(worker.llm.openaiBaseUrl);
      await newEndpoint.getByLabel('Temperature', { exact: true }).fill('0');
      await newEndpoint.getByLabel('Max tokens', { exact: true }).fill('128');
      await newEndpoint.getByLabel('Price per 1k input tokens (USD)').fill('0.15');
      await newEndpoint.getByLabel('Price per 1k output tokens (USD)').fill('0.6');
    };
    await fillEndpoint(ENDPOINT, 'fake-model');
    const requestsBefore = worker.llm.stats().total;
    await newEndpoint.getByRole('button', { name: 'Test connection', exact: true }).click();
    const status = page
      .getByRole('region', { name: `Connection test of ${ENDPOINT} (not saved)` })
      .getByRole('status');
    await eventually(() => status.getAttribute('data-test-state'), 45_000).toBe('ok');
    expect(await status.textContent()).toContain('Fake answer');
    expect(await status.textContent()).toMatch(/answered in \d+ ms/);
    expect(worker.llm.stats().total - requestsBefore).toBe(1);
    expect(worker.llm.requests.at(-1)?.body).toMatchObject({ model: 'fake-model', temperature: 0 });
    const endpointsTable = page.locator('section[aria-labelledby="endpoints-h"] table');
    expect(await endpointsTable.textContent()).toContain('No endpoints.');
    await checkA11y('settings-endpoint-test');
    await status.scrollIntoViewIfNeeded();
    await screenshot(page, 'first-eval-04-endpoint-test', { fullPage: false });
    await newEndpoint.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('button', { name: `Test connection to endpoint ${ENDPOINT}` }).waitFor();

    // 4. A guardrail from the form generated from the judge's config schema (GET /api/judges).
    const newGuardrail = form('Add guardrail');
    await newGuardrail.getByLabel('Judge', { exact: true }).fill('assertions');
    const settings = newGuardrail.getByRole('group', { name: 'Judge settings (assertions)' });
    await settings.waitFor();
    await settings.getByRole('button', { name: 'Add assertions item' }).click();
    await settings.getByLabel('Assertions 1 type').selectOption('contains');
    await settings.getByLabel('Assertions 1 value').fill('Fake answer');
    await newGuardrail.getByLabel('Score threshold').fill('1');
    await newGuardrail.getByLabel('Minimum pass rate').fill('0.5');
    expect(await newGuardrail.getByLabel('Enabled').isChecked()).toBe(true);
    await settings.scrollIntoViewIfNeeded();
    await screenshot(page, 'first-eval-05-guardrail-form', { fullPage: false });
    await newGuardrail.getByRole('button', { name: 'Add guardrail' }).click();
    const guardrailRow = page.locator('section[aria-labelledby="guardrails-h"] tbody tr', {
      hasText: 'Assertions',
    });
    await guardrailRow.waitFor();
    expect(await guardrailRow.textContent()).toContain('"type":"contains"');
    expect(await guardrailRow.textContent()).toContain('yes'); // enabled
    // The form is ready for the next one, enabled again.
    expect(await newGuardrail.getByLabel('Enabled').isChecked()).toBe(true);
    await checkA11y('settings');

    // 5. New run from the project page: dataset, endpoint and the guardrail's judge preselected.
    await page.goto(`${h.baseUrl}/projects/${projectId}`);
    await page.getByRole('button', { name: 'New run' }).click();
    const dialog = page.getByRole('dialog', { name: 'New run' });
    await dialog.waitFor();
    await eventually(() => dialog.getByLabel('Dataset').locator('option').count()).toBe(1);
    await eventually(() => dialog.getByLabel('Endpoint').locator('option').count()).toBe(1);
    const judge = dialog.getByLabel('Assertions');
    await judge.waitFor();
    expect(await judge.isChecked()).toBe(true);
    expect(await dialog.getByLabel('Dataset').locator('option').textContent()).toContain('4 samples');
    await checkA11y('new-run');
    await screenshot(page, 'first-eval-06-new-run', { fullPage: false });
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}/);

    // 6. The run page follows the run to its end: 4 answers, scored by the assertions judge.
    await eventually(() => page.locator('h1').textContent(), RUN_TIMEOUT_MS).toContain('completed');
    const meter = page.getByRole('meter', { name: 'Assertions pass rate' });
    await eventually(() => meter.count(), 30_000).toBe(1);
    // The two arithmetic answers are bare numbers: half the samples pass.
    expect(await meter.getAttribute('aria-valuenow')).toBe('50');
    const firstRunId = page.url().split('/').pop()!;
    await checkA11y('run');
    await screenshot(page, 'first-eval-07-run-completed');

    // 7. A second model: another endpoint (saved without a test this time) whose answers all say
    //    "Fake answer", so the arithmetic samples now pass the guardrail.
    worker.llm.setResponder((request) =>
      request.model === MODEL_V2 ? { content: `Fake answer (v2): ${request.input}` } : undefined,
    );
    await page.goto(`${h.baseUrl}/settings?project=${projectId}`);
    await newEndpoint.waitFor();
    await fillEndpoint(ENDPOINT_V2, MODEL_V2);
    await newEndpoint.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('button', { name: `Test connection to endpoint ${ENDPOINT_V2}` }).waitFor();

    // 8. The second run, on the new endpoint, with the first run as its baseline.
    await page.goto(`${h.baseUrl}/projects/${projectId}`);
    await page.getByRole('button', { name: 'New run' }).click();
    await dialog.waitFor();
    await eventually(() => dialog.getByLabel('Endpoint').locator('option').count()).toBe(2);
    await dialog.getByLabel('Endpoint').selectOption({ label: `${ENDPOINT_V2} (${MODEL_V2})` });
    await eventually(() =>
      dialog.getByLabel('Baseline run').locator(`option[value="${firstRunId}"]`).count(),
    ).toBe(1);
    await dialog.getByLabel('Baseline run').selectOption(firstRunId);
    await screenshot(page, 'first-eval-08-second-run', { fullPage: false });
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(
      (url) => /\/runs\/[0-9a-f-]{36}/.test(url.pathname) && !url.pathname.endsWith(firstRunId),
    );
    const secondRunId = page.url().split('/').pop()!;
    await eventually(() => page.locator('h1').textContent(), RUN_TIMEOUT_MS).toContain('completed');
    await eventually(() => meter.getAttribute('aria-valuenow'), 30_000).toBe('100');

    // 9. The compare page, from the run's link: per-judge verdict and the two samples that flipped.
    await page.getByRole('link', { name: 'Compare with baseline' }).click();
    await page.waitForURL(/\/compare\?/);
    expect(page.url()).toContain(`a=${firstRunId}`);
    expect(page.url()).toContain(`b=${secondRunId}`);
    const judges = page.locator('section', { has: page.getByRole('heading', { name: /Per judge/ }) });
    await eventually(() => judges.locator('tr', { hasText: 'Assertions' }).count()).toBe(1);
    const samples = page.locator('section', { has: page.getByRole('heading', { name: /Per sample/ }) });
    await eventually(() => samples.locator('tbody tr').count()).toBe(4);
    const flipped = samples.locator('tbody tr', { hasText: 'What is 2 + 3?' });
    expect(await flipped.locator('.score-changes').textContent()).toMatch(/fail → pass/);
    await checkA11y('compare');
    await screenshot(page, 'first-eval-09-compare');

    // 10. A person disagrees with the judge: "Fake answer (v2): What is 2 + 3?" does not answer 5.
    const sampleKey = (await flipped.getAttribute('data-sample'))!;
    await flipped.getByText(`Review ${sampleKey}`).click();
    await flipped.getByRole('button', { name: '✗ Fail' }).click();
    await flipped.getByLabel('Comment').fill('Does not say 5.');
    await flipped.getByRole('button', { name: 'Save review' }).click();
    await flipped.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await checkA11y('compare-review');
    await flipped.scrollIntoViewIfNeeded();
    await screenshot(page, 'first-eval-10-review', { fullPage: false });

    // 11. The run page shows it: the judge's agreement with people, and the review on the sample.
    await page.goto(`${h.baseUrl}/runs/${secondRunId}`);
    const agreement = page.getByRole('region', { name: 'Agreement of human reviews with judges' });
    const assertionsAgreement = agreement.locator('tr[data-judge="assertions"]');
    await assertionsAgreement.waitFor();
    expect(await agreement.textContent()).toContain('1 reviewed result · 1 review');
    // One result reviewed; the person disagrees with the judge on it (κ is the statistics' call).
    const cells = (await assertionsAgreement.locator('td').allTextContents()).map((t) => t.trim());
    expect(cells.slice(0, 2)).toEqual(['1', '0%']);
    await checkA11y('run-reviewed');
    await agreement.scrollIntoViewIfNeeded();
    await screenshot(page, 'first-eval-11-agreement', { fullPage: false });
    await page.getByRole('button', { name: `Open sample ${sampleKey}` }).click();
    const sample = page.getByRole('dialog', { name: `Sample ${sampleKey}` });
    const review = sample.getByRole('list', { name: 'Reviews' }).locator('li[data-reviewer="dev"]');
    await review.waitFor();
    expect(await review.textContent()).toContain('Does not say 5.');
    expect(await review.textContent()).toContain('overall');

    expect(a11y).toEqual({});
    expect(h.pageErrors).toEqual([]);
  });
});
