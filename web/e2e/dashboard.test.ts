/**
 * The dashboard in headless chromium against the real API and a real database: every page shows
 * its data, filters reach the server, a live run moves and completes, model output stays text.
 * Screenshots of every page land in test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { completeRun } from '../../test/fixtures/runs.js';
import { type Harness, screenshot, startHarness, TEMPORAL_UI_URL } from './harness.js';
import {
  addLiveResults,
  LONG_OUTPUT,
  PROJECT_NAME,
  SAMPLES,
  SECRET_IN_CONFIG,
  type Seeded,
  seedDashboardData,
  XSS_PAYLOAD,
} from './seed.js';

let h: Harness;
let seeded: Seeded;

beforeAll(async () => {
  h = await startHarness();
  seeded = await seedDashboardData(h.db.dataSource);
});
afterAll(async () => {
  await h?.close();
});

/** Page updates go through the API and a render: give them time on a loaded 2-core CI machine. */
const POLL_TIMEOUT_MS = 15_000;
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: POLL_TIMEOUT_MS });

const open = async (path: string) => {
  await h.page.goto(`${h.baseUrl}${path}`);
};
const short = (id: string) => id.slice(0, 8);
/** Rows of the run page's results table, as the text of their sample key. */
const resultKeys = () => h.page.locator('table.results tbody th[scope="row"]').allTextContents();
/** A control of the run page's result filters, by its name. */
const filter = (name: string) => h.page.locator(`form[aria-label="Result filters"] [name="${name}"]`);
const resultsSummary = () => h.page.locator('nav[aria-label="Result pages"] span').first().textContent();

describe('dashboard', () => {
  it('serves the app shell for client routes and keeps JSON 404s for the API', async () => {
    const shell = await fetch(`${h.baseUrl}/runs/${seeded.candidate.id}`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-type')).toContain('text/html');
    expect(await shell.text()).toContain('<div id="root">');
    const api404 = await fetch(`${h.baseUrl}/api/nope`);
    expect(api404.status).toBe(404);
    expect((await api404.json()).error.code).toBe('not_found');
    expect((await fetch(`${h.baseUrl}/openapi.json`)).headers.get('content-type')).toContain(
      'application/json',
    );
    expect((await fetch(`${h.baseUrl}/assets/missing.js`)).status).toBe(404);
  });

  it('projects overview: projects with their latest verdicts and pass rates', async () => {
    await open('/');
    const card = h.page.locator('section.project-card', { hasText: PROJECT_NAME });
    await card.waitFor();
    // Newest first: the live run (no summary yet), then the regressed candidate with a blocking PII failure.
    expect(await card.locator('.overall').textContent()).toContain(
      'fail 83% pass in the latest finished run',
    );
    const runs = card.getByRole('listitem');
    expect(await runs.count()).toBe(3);
    expect(await runs.nth(0).textContent()).toContain(`Run ${short(seeded.live.id)}`);
    expect(await runs.nth(0).textContent()).toContain('running');
    expect(await runs.nth(1).textContent()).toContain('completed');
    expect(await runs.nth(1).textContent()).toMatch(/\d+%/);
    await screenshot(h.page, '01-projects');
  });

  it('project page: runs with verdicts, and two picked for comparison', async () => {
    await open(`/projects/${seeded.fx.project.id}`);
    await h.page.getByRole('heading', { name: PROJECT_NAME }).waitFor();
    const rows = h.page.locator('tbody tr');
    await eventually(() => rows.count()).toBe(3);
    const candidateRow = h.page.locator('tr', { hasText: `Run ${short(seeded.candidate.id)}` });
    expect(await candidateRow.textContent()).toContain('fail'); // blocking PII guardrail failed
    expect(await candidateRow.textContent()).toContain('PR #42');
    await screenshot(h.page, '02-project');
    await h.page.getByLabel(`Select run ${short(seeded.baseline.id)} to compare`).check();
    await h.page.getByLabel(`Select run ${short(seeded.candidate.id)} to compare`).check();
    await h.page.getByRole('button', { name: 'Compare selected (2/2)' }).click();
    await h.page.waitForURL(/\/compare\?/);
    expect(h.page.url()).toContain(`a=${seeded.baseline.id}`);
    expect(h.page.url()).toContain(`b=${seeded.candidate.id}`);
  });

  it('run detail: header, pass-rate bars, regression banner, facts, charts and export', async () => {
    await open(`/runs/${seeded.candidate.id}`);
    await h.page.getByRole('heading', { name: /Run / }).waitFor();
    expect(await h.page.locator('h1').textContent()).toContain('completed');
    const meters = h.page.getByRole('meter');
    await eventually(() => meters.count()).toBe(4);
    const similarity = h.page.getByRole('meter', { name: 'Similarity pass rate' });
    expect(await similarity.getAttribute('aria-valuenow')).toBe('67'); // every 3rd of 30 fails
    expect(await h.page.getByRole('meter', { name: 'PII pass rate' }).getAttribute('aria-valuenow')).toBe(
      '97',
    );
    const banner = h.page.getByRole('alert').filter({ hasText: 'Regression detected' });
    expect(await banner.textContent()).toMatch(/Similarity dropped [\d.]+% \(p[=<][\d.]+, n=30\)/);
    expect(await h.page.locator('.guardrails').textContent()).toContain('blocking failure');
    const facts = await h.page.locator('.cards').textContent();
    expect(facts).toContain(`${SAMPLES} ok · 0 failed`);
    expect(facts).toContain('$0.0060'); // 30 × $0.0002
    // Totals of the seeded tokens: Σ(40+i) and Σ(20 + i mod 7).
    expect(facts).toContain('1,635 / 685');
    await eventually(() => h.page.locator('.heatmap g[aria-label="cell"] rect').count()).toBe(SAMPLES * 4);
    await expect
      .poll(() => h.page.locator('.histogram g[aria-label="rect"] rect').count())
      .toBeGreaterThan(1);
    const csvHref = await h.page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csvHref).toBe(`/api/eval/runs/${seeded.candidate.id}/export?format=csv`);
    const csv = await (await fetch(`${h.baseUrl}${csvHref}`)).text();
    expect(csv.split('\n')[0]).toContain('sample_key');
    const temporalLink = await h.page.getByRole('link', { name: /Temporal workflow/ }).getAttribute('href');
    expect(temporalLink).toBe(
      `${TEMPORAL_UI_URL}/namespaces/${h.temporal.namespace}/workflows/eval-run-${seeded.candidate.id}`,
    );
    await screenshot(h.page, '03-run-detail');
  });

  it('run detail: filters and pagination run on the server', async () => {
    await open(`/runs/${seeded.candidate.id}`);
    await eventually(resultsSummary).toBe(`1–${SAMPLES} of ${SAMPLES}`);
    await filter('judge').selectOption('similarity');
    await filter('passed').selectOption('false');
    await eventually(resultsSummary).toBe('1–10 of 10');
    expect(await resultKeys()).toEqual(['s2', 's5', 's8', 's11', 's14', 's17', 's20', 's23', 's26', 's29']);
    await filter('category').fill('shipping');
    await filter('category').press('Enter');
    // Every 3rd sample fails similarity and sample i has category i mod 3: all failures are "shipping".
    await eventually(resultsSummary).toBe('1–10 of 10');
    await filter('category').fill('billing');
    await filter('category').press('Enter');
    await eventually(resultsSummary).toBe('0–0 of 0');
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await filter('tag').fill('vip');
    await filter('tag').press('Enter');
    await eventually(resultsSummary).toBe('1–8 of 8'); // samples 0, 4, …, 28
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await filter('max_score').fill('0.5');
    await filter('max_score').press('Enter');
    // Any judge ≤ 0.5: the 10 similarity failures plus the PII leak on s7.
    await eventually(resultsSummary).toBe('1–11 of 11');
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await h.page.locator('nav[aria-label="Result pages"] select').selectOption('25');
    await eventually(resultsSummary).toBe(`1–25 of ${SAMPLES}`);
    await h.page.getByRole('button', { name: 'Next →' }).click();
    await eventually(resultsSummary).toBe(`26–${SAMPLES} of ${SAMPLES}`);
    expect(await resultKeys()).toEqual(['s25', 's26', 's27', 's28', 's29']);
  });

  it('run detail: model output stays text, long outputs collapse, drill-down shows every judge', async () => {
    await open(`/runs/${seeded.candidate.id}`);
    const xssRow = h.page.locator('tr', { hasText: 's3' }).first();
    await xssRow.waitFor();
    expect(await xssRow.locator('td.cell-text').nth(1).textContent()).toContain(XSS_PAYLOAD);
    expect(await h.page.locator('table.results img, table.results tbody script').count()).toBe(0);
    expect(await h.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

    const longRow = h.page.locator('tr', { hasText: 's5' }).first();
    expect(await longRow.textContent()).not.toContain('END-OF-LONG-OUTPUT');
    await longRow.getByRole('button', { name: 'Show more of output of s5' }).click();
    expect(await longRow.textContent()).toContain('END-OF-LONG-OUTPUT');

    // Keyboard: focus the sample button, open with Enter, close with Escape.
    await h.page.getByRole('button', { name: 'Open sample s7' }).focus();
    await h.page.keyboard.press('Enter');
    const dialog = h.page.getByRole('dialog', { name: 'Sample s7' });
    await dialog.waitFor();
    const judges = dialog.locator('article.judge-card');
    expect(await judges.count()).toBe(4);
    expect(await dialog.locator('article[data-judge="pii"]').textContent()).toContain('jo.doe@example.com');
    expect(await dialog.locator('article[data-judge="llm_judge"]').textContent()).toContain(
      'Accurate and polite.',
    );
    await screenshot(h.page, '04-sample-drilldown', { fullPage: false });
    await h.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(LONG_OUTPUT.length).toBeGreaterThan(1_000);
  });

  it("run detail: a live run's progress moves over server-sent events and completes", async () => {
    await open(`/runs/${seeded.live.id}`);
    const progress = h.page.getByRole('progressbar', { name: 'Samples done' });
    await progress.waitFor();
    expect(await progress.getAttribute('aria-valuemax')).toBe(String(SAMPLES));
    expect(await h.page.getByRole('button', { name: 'Cancel run' }).isEnabled()).toBe(true);
    const done = async () => Number(await progress.getAttribute('aria-valuenow'));

    await addLiveResults(h.db.dataSource, seeded.live, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await eventually(done).toBe(10);
    await eventually(resultsSummary).toBe('1–10 of 10');
    await screenshot(h.page, '05-run-live');
    await addLiveResults(
      h.db.dataSource,
      seeded.live,
      Array.from({ length: 20 }, (_, i) => i + 10),
    );
    await eventually(done).toBe(SAMPLES);

    await completeRun(h.db.dataSource, seeded.live);
    await h.page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await h.page.locator('h1').textContent()).toContain('completed');
    await eventually(() => h.page.getByRole('meter').count()).toBe(4);
    expect(await h.page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await eventually(resultsSummary).toBe(`1–${SAMPLES} of ${SAMPLES}`);
    const finished = await h.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: seeded.live.id });
    expect(finished.status).toBe('completed');
  });

  it('run comparison: regression banner, per-judge verdicts with p-values, changed samples first', async () => {
    await open(`/compare?project=${seeded.fx.project.id}&a=${seeded.baseline.id}&b=${seeded.candidate.id}`);
    const banner = h.page.getByRole('alert').filter({ hasText: 'Regression detected' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Similarity dropped [\d.]+% \(p[=<][\d.]+, n=30\)/);
    const judges = h.page.locator('section', { has: h.page.getByRole('heading', { name: /Per judge/ }) });
    const verdict = async (judge: string) =>
      (await judges.locator('tr', { hasText: judge }).locator('.badge').textContent())?.trim();
    expect(await verdict('Similarity')).toBe('regression');
    expect(await verdict('Toxicity')).toBe('no change');
    expect(await judges.textContent()).toContain('paired on shared samples');
    // Similarity flipped on samples whose index is 2 mod 3 but not 9 mod 10, or the reverse: 9 samples.
    const samples = h.page.locator('section', { has: h.page.getByRole('heading', { name: /Per sample/ }) });
    const rows = samples.locator('tbody tr');
    await eventually(() => rows.count()).toBe(SAMPLES);
    const changed = await rows.evaluateAll((trs) => trs.map((tr) => tr.classList.contains('failed')));
    const firstUnchanged = changed.indexOf(false);
    expect(firstUnchanged).toBeGreaterThan(0);
    expect(changed.slice(firstUnchanged)).not.toContain(true);
    await screenshot(h.page, '06-compare');
  });

  it('trends: per-judge lines over runs with the regression marked', async () => {
    await open(`/projects/${seeded.fx.project.id}/trends`);
    await eventually(() => h.page.locator('.trend g[aria-label="line"] path').count()).toBe(4);
    const regressions = h.page.locator('section', {
      has: h.page.getByRole('heading', { name: 'Regressions' }),
    });
    expect(await regressions.locator('tbody tr').count()).toBe(1);
    expect(await regressions.textContent()).toContain(`Run ${short(seeded.candidate.id)}`);
    await screenshot(h.page, '07-trends');
    await h.page.getByRole('textbox', { name: 'Branch' }).fill('main');
    await h.page.getByRole('textbox', { name: 'Branch' }).press('Enter');
    await eventually(() => regressions.locator('tbody tr').count()).toBe(0);
  });

  it('dataset manager: versions, samples, upload with row errors, tags', async () => {
    await open(`/datasets?project=${seeded.fx.project.id}`);
    await h.page.getByRole('link', { name: 'fixture dataset' }).click();
    await h.page.getByRole('heading', { name: /fixture dataset/ }).waitFor();
    const samples = h.page.locator('section', { has: h.page.getByRole('heading', { name: /^Samples/ }) });
    await eventually(() => samples.locator('tbody tr').count()).toBe(SAMPLES);

    const upload = h.page.getByRole('form', { name: 'Upload samples' });
    await upload.locator('input[type=file]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('input_text,reference_output\nfine question,ok\n,missing input\n'),
    });
    await upload.getByRole('button', { name: 'Upload' }).click();
    const rowErrors = h.page.getByRole('table', { name: 'Row errors' });
    await rowErrors.waitFor();
    expect(await rowErrors.locator('tbody tr').count()).toBe(1);
    expect(await rowErrors.locator('tbody tr td').first().textContent()).toContain('2');
    await screenshot(h.page, '08-dataset-upload-errors');

    await upload.locator('input[type=file]').setInputFiles({
      name: 'good.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from('{"input_text":"new question one"}\n{"input_text":"new question two"}\n'),
    });
    await upload.getByRole('button', { name: 'Upload' }).click();
    await h.page.getByText(/Created version 2: 2 added/).waitFor();
    await eventually(() => h.page.locator('h1').textContent()).toContain('v2');

    const tags = h.page.getByLabel('Tags of s1', { exact: true });
    await tags.fill('vip, angry');
    await tags.press('Enter');
    await eventually(() => h.page.locator('h1').textContent()).toContain('v3');
    await eventually(() => h.page.getByLabel('Tags of s1', { exact: true }).inputValue()).toBe('vip, angry');
    await screenshot(h.page, '09-dataset');
  });

  it('settings: endpoints without secrets, guardrails, keys and Temporal links', async () => {
    await open(`/settings?project=${seeded.fx.project.id}`);
    const endpoints = h.page.locator('section', {
      has: h.page.getByRole('heading', { name: 'Model endpoints' }),
    });
    await endpoints.locator('tbody tr', { hasText: 'GPT-4o mini' }).waitFor();
    expect(await endpoints.textContent()).toContain('from $OPENAI_API_KEY');
    expect(await h.page.content()).not.toContain(SECRET_IN_CONFIG);
    const guardrails = h.page.locator('section', {
      has: h.page.getByRole('heading', { name: 'Guardrails' }),
    });
    await eventually(() => guardrails.locator('tbody tr').count()).toBe(2);
    expect(await guardrails.textContent()).toContain('blocks deploys');
    const workflowLink = h.page.getByRole('link', { name: `eval-run-${seeded.candidate.id} ↗` });
    expect(await workflowLink.getAttribute('href')).toBe(
      `${TEMPORAL_UI_URL}/namespaces/${h.temporal.namespace}/workflows/eval-run-${seeded.candidate.id}`,
    );
    await screenshot(h.page, '10-settings');
  });

  it('threw no errors in the page', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
