/**
 * The dashboard in headless chromium against the real API and a real database: every page shows
 * its data, filters reach the server, a live run moves and completes, model output stays text.
 * Screenshots of every page land in test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRun } from '../../db/entities/index.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { completeRun } from '../../test/fixtures/runs.js';
import { accessibilityProblems } from './a11y.js';
import { type Harness, screenshot, startHarness, startRunWorker, TEMPORAL_UI_URL } from './harness.js';
import {
  addLiveResults,
  LONG_OUTPUT,
  PROJECT_NAME,
  SAMPLES,
  SECRET_IN_CONFIG,
  type Seeded,
  SINGLE_RUN_PROJECT,
  seedDashboardData,
  seedSingleRunProject,
  XSS_PAYLOAD,
} from './seed.js';

let h: Harness;
let seeded: Seeded;
let singleRun: Awaited<ReturnType<typeof seedSingleRunProject>>;

beforeAll(async () => {
  h = await startHarness();
  seeded = await seedDashboardData(h.db.dataSource);
  singleRun = await seedSingleRunProject(h.db.dataSource);
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
/** A page section by its heading. */
const section = (heading: string) =>
  h.page.locator('section', { has: h.page.getByRole('heading', { name: heading, exact: true }) });
/** Samples of the run the cancel test starts: far more than it gets through at the fake model's pace. */
const CANCEL_SAMPLES = 60;

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

  it("projects overview: projects with the gate's decision on their latest runs", async () => {
    await open('/');
    const card = h.page.locator('section.project-card', { hasText: PROJECT_NAME });
    await card.waitFor();
    // Newest first: the live run (gate pending), then the regressed candidate with a blocking PII failure.
    const headline = card.locator('.overall');
    expect(await headline.locator('[data-gate]').textContent()).toContain('fail');
    expect(await headline.textContent()).toContain('Blocking guardrail failed: pii');
    const runs = card.locator('li.run-mini');
    expect(await runs.count()).toBe(3);
    expect(await runs.nth(0).textContent()).toContain(`Run ${short(seeded.live.id)}`);
    expect(await runs.nth(0).textContent()).toContain('running');
    expect(await runs.nth(0).locator('[data-gate]').getAttribute('data-gate')).toBe('pending');
    expect(await runs.nth(1).textContent()).toContain('completed');
    expect(await runs.nth(1).locator('[data-gate]').getAttribute('data-gate')).toBe('fail');
    expect(await runs.nth(2).locator('[data-gate]').getAttribute('data-gate')).toBe('pass');
    await screenshot(h.page, '01-projects');
  });

  it("project page: runs with the gate's decisions, and two picked for comparison", async () => {
    await open(`/projects/${seeded.fx.project.id}`);
    await h.page.getByRole('heading', { name: PROJECT_NAME }).waitFor();
    const rows = h.page.locator('tbody tr');
    await eventually(() => rows.count()).toBe(3);
    const candidateRow = h.page.locator('tr', { hasText: `Run ${short(seeded.candidate.id)}` });
    expect(await candidateRow.locator('[data-gate]').getAttribute('data-gate')).toBe('fail');
    expect(await candidateRow.textContent()).toContain('Blocking guardrail failed: pii');
    expect(await candidateRow.textContent()).toContain('PR #42');
    // What ran on what, never an averaged pass rate.
    expect(await candidateRow.locator('.run-identity').textContent()).toMatch(/fake-model.* · .+ v\d+/);
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
    const gate = h.page.getByRole('region', { name: 'Gate decision' });
    expect(await gate.textContent()).toContain('Blocking guardrail failed: pii');
    expect(await gate.textContent()).toContain('pii: only 96.7% passed, needs 100.0%');
    expect(await h.page.locator('.guardrails').textContent()).toContain('blocking failure');
    expect(await h.page.locator('.guardrails').textContent()).toContain('29 of 30 passed');
    const facts = await h.page.locator('.cards').textContent();
    expect(facts).toContain(`${SAMPLES} ok · 0 failed`);
    expect(facts).toContain('$0.0060'); // 30 × $0.0002
    // Totals of the seeded tokens: Σ(40+i) and Σ(20 + i mod 7).
    expect(facts).toContain('1,635 / 685');
    await eventually(() => h.page.locator('.heatmap g[aria-label="cell"] rect').count()).toBe(SAMPLES * 4);
    await expect
      .poll(() => h.page.locator('.histogram g[aria-label="rect"] rect').count())
      .toBeGreaterThan(1);
    // Neither chart is silently cut: the histogram covers the run, the heatmap says what it shows.
    expect(await h.page.getByTestId('latency-caption').textContent()).toContain(
      `All ${SAMPLES} succeeded results of the run`,
    );
    expect(await h.page.getByTestId('heatmap-scope').textContent()).toBe(
      `All ${SAMPLES} results matching the table's filters.`,
    );
    // The latency card and the histogram read the same numbers.
    const caption = (await h.page.getByTestId('latency-caption').textContent()) ?? '';
    const [, p50, p95] = caption.match(/p50 ([\d.]+ m?s) · p95 ([\d.]+ m?s)/) ?? [];
    expect(p50).toBeTruthy();
    expect(await h.page.getByTestId('latency-card').textContent()).toBe(`${p50} / ${p95}`);
    // Every chart says what it draws; the heatmap's legend has a scale.
    expect(await h.page.locator('.heatmap figcaption').textContent()).toContain('One row per sample');
    expect(await h.page.locator('.histogram figcaption').textContent()).toContain('milliseconds');
    expect(await h.page.locator('.heatmap').textContent()).toContain('Score (0 = worst, 1 = best)');
    expect(await h.page.locator('.heatmap').textContent()).toContain('Judge');
    // What ran on what, beside the id.
    expect(await h.page.locator('.run-identity').first().textContent()).toContain('GPT-4o mini');
    expect(await h.page.title()).toBe(`Run ${short(seeded.candidate.id)} · EvalForge`);
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
    // The filters are in the URL: a reload (or a shared link) shows the same view.
    expect(h.page.url()).toContain('judge=similarity');
    expect(h.page.url()).toContain('passed=false');
    await h.page.reload();
    await eventually(resultsSummary).toBe('1–10 of 10');
    expect(await filter('judge').inputValue()).toBe('similarity');
    await filter('category').fill('account');
    await filter('category').press('Enter');
    // Samples 2, 5, 8, … fail similarity and sample i has category CATEGORIES[i mod 3]: all are "account".
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
    await eventually(() => h.page.getByTestId('heatmap-scope').textContent()).toContain(
      `Results 1–25 of ${SAMPLES} matching the table's filters: the table's current page`,
    );
    expect(await h.page.locator('.heatmap g[aria-label="cell"] rect').count()).toBe(25 * 4);
    await h.page.getByRole('button', { name: 'Next →' }).click();
    await eventually(resultsSummary).toBe(`26–${SAMPLES} of ${SAMPLES}`);
    expect(await resultKeys()).toEqual(['s25', 's26', 's27', 's28', 's29']);
    // Sorted on the server over the whole run: the fastest answers (s25 was on page 2 in dataset order)
    // lead page 1. The sort is in the URL, so a reload (or a shared link) keeps it.
    await filter('sort').selectOption('latency');
    await eventually(async () => (await resultKeys()).slice(0, 3)).toEqual(['s25', 's17', 's9']);
    await eventually(resultsSummary).toBe(`1–25 of ${SAMPLES}`);
    expect(h.page.url()).toContain('sort=latency');
    await h.page.reload();
    await eventually(async () => (await resultKeys()).slice(0, 3)).toEqual(['s25', 's17', 's9']);
    expect(await filter('sort').inputValue()).toBe('latency');
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
    // Unchanged scores: whether that is "no change" or "inconclusive" is the statistics' call
    // (core/compare-runs.ts); the page shows the API's verdict.
    const compare = await fetch(
      `${h.baseUrl}/api/eval/compare?run_ids=${seeded.baseline.id},${seeded.candidate.id}`,
    );
    const toxicity = (
      (await compare.json()) as { judges: { judge_type: string; verdict: string; reason: string }[] }
    ).judges.find((j) => j.judge_type === 'toxicity');
    expect(await verdict('Toxicity')).toBe(toxicity?.verdict.replace('_', ' '));
    expect(await judges.textContent()).toContain('paired on shared samples');
    const compared = h.page.getByRole('region', { name: 'Runs compared' });
    expect(await compared.locator('[data-gate]').evaluateAll((b) => b.map((e) => e.dataset.gate))).toEqual([
      'pass',
      'fail',
    ]);
    // Similarity flipped on samples whose index is 2 mod 3 but not 9 mod 10, or the reverse: 9 samples.
    const samples = h.page.locator('section', { has: h.page.getByRole('heading', { name: /Per sample/ }) });
    const rows = samples.locator('tbody tr');
    await eventually(() => rows.count()).toBe(SAMPLES);
    const changed = await rows.evaluateAll((trs) => trs.map((tr) => tr.classList.contains('failed')));
    const firstUnchanged = changed.indexOf(false);
    expect(firstUnchanged).toBeGreaterThan(0);
    expect(changed.slice(firstUnchanged)).not.toContain(true);
    // Per judge, never averaged: the candidate's new blocking PII failure is in plain sight.
    const pii = h.page.locator('table[aria-label="Pass rate and guardrail per judge"] tr[data-judge="pii"]');
    expect(await pii.textContent()).toContain('blocking failure');
    expect(await pii.textContent()).toContain('(blocking)');
    // The XSS sample's output change is a word diff of text, never markup.
    const xss = samples.locator('tr[data-sample="s3"]');
    await xss.getByText('Changes from the baseline').click();
    expect(await xss.locator('.diff ins').first().textContent()).toContain('<img src=x');
    expect(await xss.locator('.diff del').count()).toBeGreaterThan(0);
    expect(await samples.locator('img, tbody script').count()).toBe(0);
    expect(await h.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    // Per-sample score changes, with the pass → fail flip called out.
    expect(await samples.locator('tr[data-sample="s7"] .score-changes').textContent()).toMatch(
      /PII 1\.00 → 0\.00 \(−1\.00\)\s*pass → fail/,
    );
    await screenshot(h.page, '06-compare');
    // Sort by the largest drop, one judge, changed only: all kept in the URL.
    await h.page.locator('form[aria-label="Sample view"] [name="sort"]').selectOption('regression');
    await h.page.locator('form[aria-label="Sample view"] [name="judge"]').selectOption('pii');
    await h.page.locator('form[aria-label="Sample view"] [name="show"]').selectOption('changed');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-sample')).toBe('s7');
    expect(h.page.url()).toMatch(/sort=regression/);
    expect(h.page.url()).toMatch(/judge=pii/);
    expect(h.page.url()).toMatch(/show=changed/);
    // Sorted and filtered by the server over the whole pair: a reload of the link shows the same view.
    await h.page.reload();
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-sample')).toBe('s7');
    expect(await h.page.locator('form[aria-label="Sample view"] [name="show"]').inputValue()).toBe('changed');
    await h.page.locator('form[aria-label="Sample view"] [name="judge"]').selectOption('');
    await h.page.locator('form[aria-label="Sample view"] [name="show"]').selectOption('all');
    await eventually(() => rows.count()).toBe(SAMPLES);
    // Largest regression first: the PII flip (−1.00) leads.
    expect(await rows.first().getAttribute('data-sample')).toBe('s7');
    await screenshot(h.page, '06-compare-sorted');

    // A reviewer disagrees with the judge on the flipped sample: the review is stored with who and when.
    const flipped = samples.locator('tr[data-sample="s7"]');
    await flipped.getByText('Review s7').click();
    await flipped.getByRole('button', { name: '✓ Pass' }).click();
    await flipped.getByLabel('Comment').fill('The e-mail was asked for: not a leak.');
    await flipped.getByRole('button', { name: 'Save review' }).click();
    await eventually(async () => {
      const res = await fetch(`${h.baseUrl}/api/eval/runs/${seeded.candidate.id}/reviews`);
      return ((await res.json()) as { items: { passed: boolean; comment: string; reviewer: string }[] })
        .items;
    }).toEqual([
      expect.objectContaining({
        passed: true,
        comment: 'The e-mail was asked for: not a leak.',
        reviewer: 'dev',
      }),
    ]);
    await screenshot(h.page, '06-compare-review');
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

  it('trends with one run: dates formatted, no raw timestamp, no stray mark', async () => {
    await open(`/projects/${singleRun.fx.project.id}/trends`);
    const dots = h.page.locator('.trend g[aria-label="dot"] circle');
    await eventually(() => dots.count()).toBeGreaterThan(0);
    expect(await h.page.locator('.trend g[aria-label="line"] path').count()).toBe(0);
    const text = (await h.page.locator('.trend').textContent()) ?? '';
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    expect(text).toContain('Only one run so far');
    const ticks = await h.page.locator('.trend g[aria-label="x-axis tick label"] text').allTextContents();
    expect(ticks.length).toBeGreaterThan(0);
    for (const t of ticks) expect(t).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2}$/);
    expect(await h.page.title()).toBe(`Score trends: ${SINGLE_RUN_PROJECT} · EvalForge`);
    await screenshot(h.page, '07-trends-one-run');
  });

  it('accessibility: every page has a title, ordered headings, keyboard reach and no serious axe violations', async () => {
    const pages: [string, string][] = [
      ['projects', '/'],
      ['project', `/projects/${seeded.fx.project.id}`],
      ['run', `/runs/${seeded.candidate.id}`],
      [
        'compare',
        `/compare?project=${seeded.fx.project.id}&a=${seeded.baseline.id}&b=${seeded.candidate.id}`,
      ],
      ['trends', `/projects/${seeded.fx.project.id}/trends`],
      ['datasets', `/datasets?project=${seeded.fx.project.id}`],
      ['dataset', `/datasets/${seeded.fx.dataset.id}`],
      ['settings', `/settings?project=${seeded.fx.project.id}`],
      ['not-found', '/no/such/page'],
    ];
    const problems: Record<string, unknown> = {};
    for (const [name, path] of pages) {
      await open(path);
      Object.assign(problems, await accessibilityProblems(h.page, name));
      await screenshot(h.page, `a11y-${name}`);
    }
    expect(problems).toEqual({});
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
    const endpoints = section('Model endpoints');
    await endpoints.locator('tbody tr', { hasText: 'GPT-4o mini' }).waitFor();
    expect(await endpoints.textContent()).toContain('from $OPENAI_API_KEY');
    expect(await h.page.content()).not.toContain(SECRET_IN_CONFIG);
    const guardrails = section('Guardrails');
    await eventually(() => guardrails.locator('tbody tr').count()).toBe(2);
    expect(await guardrails.textContent()).toContain('blocks deploys');
    const workflowLink = h.page.getByRole('link', { name: `eval-run-${seeded.candidate.id} ↗` });
    expect(await workflowLink.getAttribute('href')).toBe(
      `${TEMPORAL_UI_URL}/namespaces/${h.temporal.namespace}/workflows/eval-run-${seeded.candidate.id}`,
    );
  });

  it("settings: endpoints are added, edited, archived and deleted, with the API's errors next to the form", async () => {
    await open(`/settings?project=${seeded.fx.project.id}`);
    const endpoints = section('Model endpoints');
    await endpoints.locator('tbody tr', { hasText: 'GPT-4o mini' }).waitFor();
    const add = h.page.getByRole('form', { name: 'Add endpoint' });
    await add.getByLabel('Name').fill('Local Llama');
    await add.getByLabel('Model').fill('llama-3');
    // Credentials in the URL: the API refuses them (422) and says where keys go instead.
    await add.getByLabel('Endpoint URL').fill('http://user:hunter2@llm.local:8000/v1');
    await add.getByLabel('API key variable').fill('my-key');
    await add.getByRole('button', { name: 'Add endpoint' }).click();
    const error = add.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('api_key_env: must be an environment variable name');
    expect(await add.getByLabel('API key variable').getAttribute('aria-invalid')).toBe('true');
    await add.getByLabel('API key variable').fill('LOCAL_LLM_KEY');
    await add.getByRole('button', { name: 'Add endpoint' }).click();
    await eventually(async () => (await add.getByRole('alert').textContent()) ?? '').toContain(
      'endpoint_url: contains user credentials',
    );
    await screenshot(h.page, '10-settings-form-error', { fullPage: false });
    // A variable off the allowlist: the API's refusal is worded next to the field, naming the allowlist.
    await add.getByLabel('Endpoint URL').fill('http://llm.local:8000/v1');
    await add.getByRole('button', { name: 'Add endpoint' }).click();
    await eventually(async () => (await add.getByRole('alert').textContent()) ?? '').toContain(
      'api_key_env_not_allowed',
    );
    const keyField = add.locator('.field', { has: h.page.getByLabel('API key variable') });
    expect(await keyField.textContent()).toContain(
      'Not an allowed key variable: use OPENAI_API_KEY, ANTHROPIC_API_KEY or a name starting with EVALFORGE_PROVIDER_',
    );
    expect(await add.getByLabel('API key variable').getAttribute('aria-invalid')).toBe('true');
    await add.getByLabel('API key variable').scrollIntoViewIfNeeded();
    await screenshot(h.page, '10-settings-key-env-error', { fullPage: false });
    await add.getByLabel('API key variable').fill('EVALFORGE_PROVIDER_LOCAL_LLM');
    await add.getByRole('button', { name: 'Add endpoint' }).click();
    const row = endpoints.locator('tbody tr', { hasText: 'Local Llama' });
    await row.waitFor();
    expect(await row.textContent()).toContain('openai / llama-3');
    expect(await row.textContent()).toContain('from $EVALFORGE_PROVIDER_LOCAL_LLM');
    expect(await add.getByLabel('Model').inputValue()).toBe('');

    // Edit in a dialog, from the keyboard.
    await h.page.getByRole('button', { name: 'Edit endpoint Local Llama' }).focus();
    await h.page.keyboard.press('Enter');
    const dialog = h.page.getByRole('dialog', { name: 'Edit endpoint Local Llama' });
    await dialog.waitFor();
    await dialog.getByLabel('Model').fill('llama-3.1-8b');
    await dialog.getByLabel('Model').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => row.textContent()).toContain('openai / llama-3.1-8b');

    // An endpoint with runs cannot be deleted: the 409 shows in the dialog; archiving works.
    await h.page.getByRole('button', { name: 'Delete endpoint GPT-4o mini' }).click();
    const confirm = h.page.getByRole('dialog', { name: 'Delete endpoint GPT-4o mini?' });
    await confirm.getByRole('button', { name: 'Delete endpoint' }).click();
    await eventually(async () => (await confirm.getByRole('alert').textContent()) ?? '').toContain(
      'archive it instead',
    );
    await h.page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await h.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Delete endpoint GPT-4o mini',
    );
    await h.page.getByRole('button', { name: 'Archive endpoint GPT-4o mini' }).click();
    await endpoints.locator('tbody tr', { hasText: 'GPT-4o mini' }).waitFor({ state: 'detached' });
    await endpoints.getByLabel('Show archived').check();
    const archived = endpoints.locator('tbody tr', { hasText: 'GPT-4o mini' });
    await eventually(() => archived.textContent()).toContain('archived');
    await h.page.getByRole('button', { name: 'Unarchive endpoint GPT-4o mini' }).click();
    await eventually(() => archived.textContent()).not.toContain('archived');

    // An endpoint no run used is deleted for good.
    await h.page.getByRole('button', { name: 'Delete endpoint Local Llama' }).click();
    await h.page
      .getByRole('dialog', { name: 'Delete endpoint Local Llama?' })
      .getByRole('button', { name: 'Delete endpoint' })
      .click();
    await row.waitFor({ state: 'detached' });
    const stored = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM llm_endpoints WHERE name = $1',
      ['Local Llama'],
    );
    expect(stored[0].n).toBe(0);
  });

  it('settings: guardrails are added, edited and deleted', async () => {
    await open(`/settings?project=${seeded.fx.project.id}`);
    const guardrails = section('Guardrails');
    await eventually(() => guardrails.locator('tbody tr').count()).toBe(2);
    const add = h.page.getByRole('form', { name: 'Add guardrail' });
    await add.getByLabel('Judge').fill('toxicity');
    await add.getByLabel('Score threshold').fill('1.5');
    await add.getByRole('button', { name: 'Add guardrail' }).click();
    await eventually(async () => (await add.getByRole('alert').textContent()) ?? '').toContain('threshold');
    await add.getByLabel('Score threshold').fill('0.8');
    await add.getByLabel('Minimum pass rate').fill('0.95');
    await add.getByLabel('Blocking (a failure fails the run)').check();
    await add.getByRole('button', { name: 'Add guardrail' }).click();
    const toxicity = guardrails.locator('tbody tr', { hasText: 'Toxicity' });
    await toxicity.waitFor();
    expect(await toxicity.textContent()).toMatch(/0\.8.*95%.*blocks deploys.*yes/);

    await h.page.getByRole('button', { name: 'Edit guardrail similarity' }).click();
    const dialog = h.page.getByRole('dialog', { name: /Edit guardrail/ });
    await dialog.getByLabel('Score threshold').fill('0.75');
    await dialog.getByLabel('Enabled').uncheck();
    await dialog.getByRole('button', { name: 'Save guardrail' }).click();
    await dialog.waitFor({ state: 'detached' });
    const similarity = guardrails.locator('tbody tr', { hasText: 'Similarity' });
    await eventually(() => similarity.textContent()).toMatch(/0\.75.*warns.*no/);

    await h.page.getByRole('button', { name: 'Delete guardrail toxicity' }).click();
    await h.page.getByRole('dialog').getByRole('button', { name: 'Delete guardrail' }).click();
    await toxicity.waitFor({ state: 'detached' });
    expect(await guardrails.locator('tbody tr').count()).toBe(2);
    // Put similarity back as the seed had it for the tests after this one.
    await h.page.getByRole('button', { name: 'Edit guardrail similarity' }).click();
    await dialog.getByLabel('Score threshold').fill('0.7');
    await dialog.getByLabel('Enabled').check();
    await dialog.getByRole('button', { name: 'Save guardrail' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('settings: a new API key is shown once, stored only as a hash, and revoked', async () => {
    await h.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });
    await open(`/settings?project=${seeded.fx.project.id}`);
    const keys = section('API keys');
    await keys.getByText('No keys.').waitFor();
    const create = h.page.getByRole('form', { name: 'Create API key' });
    await create.getByLabel('Key name').fill('CI pipeline');
    await create.getByLabel('Key name').press('Enter');
    const shown = h.page.getByLabel('New key');
    await shown.waitFor();
    const key = await shown.inputValue();
    expect(key).toMatch(/^ef_/);
    expect(await h.page.getByTestId('new-key').textContent()).toContain('shown only this once');
    await h.page.getByRole('button', { name: 'Copy key' }).click();
    await eventually(() => h.page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    const row = keys.locator('tbody tr', { hasText: 'CI pipeline' });
    await row.waitFor();
    expect(await row.textContent()).toContain(key.slice(0, 8));
    expect(await row.textContent()).not.toContain(key);
    await screenshot(h.page, '10-settings');
    // The key is real: its hash is stored, never the key.
    const [stored] = await h.db.dataSource.query('SELECT * FROM api_keys WHERE name = $1', ['CI pipeline']);
    expect(JSON.stringify(stored)).not.toContain(key);

    await h.page.getByRole('button', { name: 'Done, I stored it' }).click();
    expect(await h.page.content()).not.toContain(key);
    await h.page.reload();
    await row.waitFor();
    expect(await h.page.content()).not.toContain(key);

    await h.page.getByRole('button', { name: 'Revoke key CI pipeline' }).click();
    const confirm = h.page.getByRole('dialog', { name: 'Revoke key CI pipeline?' });
    // The safe choice has focus: Enter right away keeps the key.
    await h.page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    expect(await row.textContent()).toContain('active');
    await h.page.getByRole('button', { name: 'Revoke key CI pipeline' }).click();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await eventually(() => row.textContent()).toContain('revoked');
    expect(await h.page.getByRole('button', { name: 'Revoke key CI pipeline' }).count()).toBe(0);
  });

  it('settings: a provider secret is stored write-only, picked on an endpoint and listed by name', async () => {
    const value = 'sk-e2e-never-shown-0123456789WXYZ';
    await open(`/settings?project=${seeded.fx.project.id}`);
    const secrets = section('Provider secrets');
    await secrets.getByText('No provider secrets.').waitFor();
    const add = h.page.getByRole('form', { name: 'Add secret' });
    await add.getByLabel('Secret name').fill('openai-e2e');
    await add.getByLabel('Value').fill(value);
    await add.getByLabel('Value').press('Enter');
    const row = secrets.locator('tbody tr', { hasText: 'openai-e2e' });
    await row.waitFor();
    expect(await row.textContent()).toContain('…WXYZ');
    expect(await row.textContent()).toContain('unused');
    expect(await add.getByLabel('Value').inputValue()).toBe('');
    expect(await secrets.getByRole('status').textContent()).toContain('Its value is not shown again');
    expect(await h.page.content()).not.toContain(value);
    // Stored encrypted: the row holds no trace of the value.
    const [stored] = await h.db.dataSource.query('SELECT * FROM provider_secrets WHERE name = $1', [
      'openai-e2e',
    ]);
    expect(JSON.stringify(stored)).not.toContain(value.slice(0, 12));

    // Picked on the seeded endpoint.
    const endpoints = section('Model endpoints');
    const endpointRow = endpoints.locator('tbody tr', { hasText: 'GPT-4o mini' });
    await h.page.getByRole('button', { name: 'Edit endpoint GPT-4o mini' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Edit endpoint GPT-4o mini' });
    await dialog.getByLabel('Provider secret').selectOption({ label: 'openai-e2e (…WXYZ)' });
    await dialog.getByRole('button', { name: 'Save endpoint' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => endpointRow.textContent()).toContain('secret: openai-e2e');
    await eventually(() => row.textContent()).toContain('used by 1 endpoint');
    const [endpoint] = await h.db.dataSource.query('SELECT secret_id FROM llm_endpoints WHERE id = $1', [
      seeded.fx.endpoint.id,
    ]);
    expect(endpoint.secret_id).toBe(stored.id);

    // In use: the delete is refused, and the dialog names the endpoint.
    await h.page.getByRole('button', { name: 'Delete secret openai-e2e' }).click();
    const confirm = h.page.getByRole('dialog', { name: 'Delete secret openai-e2e?' });
    await confirm.getByRole('button', { name: 'Delete secret' }).click();
    await eventually(async () => (await confirm.getByRole('alert').textContent()) ?? '').toContain(
      'Still used by an endpoint: GPT-4o mini.',
    );
    await h.page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await screenshot(h.page, '10-settings-secrets');
    await h.page.reload();
    await endpointRow.waitFor();
    await eventually(() => endpointRow.textContent()).toContain('secret: openai-e2e');
    expect(await h.page.content()).not.toContain(value);

    // Back to the key variable (secret_id null), after which the secret can go.
    await h.page.getByRole('button', { name: 'Edit endpoint GPT-4o mini' }).click();
    await dialog.getByLabel('Provider secret').selectOption({ label: 'None: use the key variable' });
    await dialog.getByRole('button', { name: 'Save endpoint' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => endpointRow.textContent()).toContain('from $OPENAI_API_KEY');
    await eventually(() => row.textContent()).toContain('unused');
    await h.page.getByRole('button', { name: 'Delete secret openai-e2e' }).click();
    await confirm.getByRole('button', { name: 'Delete secret' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await h.page.content()).not.toContain(value);
  });

  it('run detail: Cancel stops a real slow run, which ends cancelled with its results kept', async () => {
    const worker = await startRunWorker(h);
    try {
      const model = 'slow-model';
      worker.llm.setModelBehaviour(model, { latency: { baseMs: 400 } });
      const fx = await createProjectFixture(h.db.dataSource, {
        samples: CANCEL_SAMPLES,
        modelName: model,
        endpointUrl: worker.llm.openaiBaseUrl,
        endpointConfig: { concurrency: 1 },
      });
      const res = await fetch(`${h.baseUrl}/api/eval/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          project_id: fx.project.id,
          dataset_id: fx.dataset.id,
          endpoint_id: fx.endpoint.id,
          judges: [],
          chunk_size: 2,
          max_parallel_chunks: 1,
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const run = (await res.json()) as { id: string };
      await open(`/runs/${run.id}`);
      const progress = h.page.getByRole('progressbar', { name: 'Samples done' });
      await progress.waitFor();
      // Some results are in (the table follows the live run), far from all of them.
      await eventually(async () =>
        Number(await progress.getAttribute('aria-valuenow')),
      ).toBeGreaterThanOrEqual(2);
      await eventually(() =>
        h.page.locator('table.results tbody th[scope="row"]').count(),
      ).toBeGreaterThanOrEqual(2);

      await h.page.getByRole('button', { name: 'Cancel run' }).click();
      const confirm = h.page.getByRole('dialog', { name: 'Cancel this run?' });
      await confirm.getByRole('button', { name: 'Cancel run' }).click();
      await eventually(() => h.page.locator('h1').textContent()).toContain('cancelled');
      await h.page.getByRole('progressbar').waitFor({ state: 'detached' });

      const finished = await h.db.dataSource.getRepository(EvalRun).findOneByOrFail({ id: run.id });
      expect(finished.status).toBe('cancelled');
      const [{ n }] = await h.db.dataSource.query(
        'SELECT count(*)::int AS n FROM eval_results WHERE run_id = $1',
        [run.id],
      );
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThan(CANCEL_SAMPLES);
      // What it had produced stays listed, and the histogram counts exactly those.
      await eventually(resultsSummary).toBe(`1–${n} of ${n}`);
      expect(await resultKeys()).toHaveLength(n);
      await eventually(() => h.page.getByTestId('latency-caption').textContent()).toContain(
        `All ${n} succeeded results of the run`,
      );
      await screenshot(h.page, '11-run-cancelled');
    } finally {
      await worker.stop();
    }
  });

  it('threw no errors in the page', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
