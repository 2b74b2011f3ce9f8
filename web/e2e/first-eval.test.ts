/**
 * The first eval from an empty install, in the dashboard only (no API calls, no seed, no terminal):
 * create a project → a dataset from pasted CSV → an endpoint on the local fake LLM server, with Test
 * connection showing its reply → a guardrail from the form generated from the judge's config schema
 * (assertions: contains "Fake answer") → New run → the run page showing it completed and scored.
 * Screenshots of each step land in test-artifacts/screenshots/first-eval-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../temporal.config.js';
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
/** Two arithmetic questions (the fake model answers with the number) and two others ("Fake answer … to: …"). */
const PASTED_CSV = [
  'input_text,reference_output',
  'What is 2 + 3?,5',
  'What is 10 + 7?,17',
  'Say hello to a new customer.,Hello!',
  'Describe your refund policy.,30 days',
].join('\n');

const form = (name: string) => h.page.getByRole('form', { name, exact: true });

describe('first eval from an empty install', () => {
  it('creates everything from the dashboard and runs an eval to completion', {
    timeout: 300_000,
  }, async () => {
    const { page } = h;

    // 1. The empty install: no projects, a form to create one.
    await page.goto(`${h.baseUrl}/`);
    await page.getByText('No projects yet.').waitFor();
    await form('New project').getByLabel('Name').fill(PROJECT);
    await form('New project').getByLabel('Description').fill('Created from the dashboard');
    await screenshot(page, 'first-eval-01-new-project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    const projectId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: PROJECT }).waitFor();
    await page.getByRole('button', { name: 'New run' }).waitFor();

    // 2. A dataset from pasted CSV, through the upload API.
    await page.locator(`a[href="/datasets?project=${projectId}"]`).first().click();
    await page.waitForURL(/\/datasets\?project=/);
    const newDataset = form('New dataset');
    await newDataset.getByLabel('Name').fill('Smoke test v1');
    await newDataset.getByLabel('Samples text').fill(PASTED_CSV);
    await screenshot(page, 'first-eval-02-dataset-paste');
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await page.waitForURL(/\/datasets\/[0-9a-f-]{36}/);
    await eventually(() => page.getByText('What is 10 + 7?').count()).toBeGreaterThan(0);
    await screenshot(page, 'first-eval-03-dataset');

    // 3. An endpoint on the local fake LLM server, then Test connection: one real request via a worker.
    await page.goto(`${h.baseUrl}/settings?project=${projectId}`);
    const newEndpoint = form('Add endpoint');
    await newEndpoint.waitFor();
    await newEndpoint.getByLabel('Name', { exact: true }).fill(ENDPOINT);
    await newEndpoint.locator('select[name="provider"]').selectOption('openai');
    await newEndpoint.getByLabel('Model', { exact: true }).fill('fake-model');
    await newEndpoint.getByLabel('Endpoint URL', { exact: true }).fill(worker.llm.openaiBaseUrl);
    await newEndpoint.getByLabel('Temperature', { exact: true }).fill('0');
    await newEndpoint.getByLabel('Max tokens', { exact: true }).fill('128');
    await newEndpoint.getByLabel('Price per 1k input tokens (USD)').fill('0.15');
    await newEndpoint.getByLabel('Price per 1k output tokens (USD)').fill('0.6');
    await newEndpoint.getByRole('button', { name: 'Add endpoint' }).click();
    const testButton = page.getByRole('button', { name: `Test connection to endpoint ${ENDPOINT}` });
    await testButton.waitFor();
    const requestsBefore = worker.llm.stats().total;
    await testButton.click();
    const status = page.getByRole('region', { name: `Connection test of ${ENDPOINT}` }).getByRole('status');
    await eventually(() => status.getAttribute('data-test-state'), 45_000).toBe('ok');
    expect(await status.textContent()).toContain('Fake answer');
    expect(await status.textContent()).toMatch(/answered in \d+ ms/);
    expect(worker.llm.stats().total - requestsBefore).toBe(1);
    await status.scrollIntoViewIfNeeded();
    await screenshot(page, 'first-eval-04-endpoint-test', { fullPage: false });

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
    await screenshot(page, 'first-eval-06-new-run', { fullPage: false });
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}/);

    // 6. The run page follows the run to its end: 4 answers, scored by the assertions judge.
    await eventually(() => page.locator('h1').textContent(), RUN_TIMEOUT_MS).toContain('completed');
    const meter = page.getByRole('meter', { name: 'Assertions pass rate' });
    await eventually(() => meter.count(), 30_000).toBe(1);
    // The two arithmetic answers are bare numbers: half the samples pass.
    expect(await meter.getAttribute('aria-valuenow')).toBe('50');
    await screenshot(page, 'first-eval-07-run-completed');
    expect(h.pageErrors).toEqual([]);
  });
});
