import { fireEvent, screen, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, type Handler, resetFakeApi } from '../testing/api';
import { renderRoute } from '../testing/router';
import { makeGate, makeRun } from '../testing/runs';
import { ComparePage } from './ComparePage';

const A = '00000000-0000-4000-8000-0000000000a0';
const B = '00000000-0000-4000-8000-0000000000b0';
const guardrail = (outcome: 'pass' | 'fail', pass_rate: number) => ({
  judge_type: 'pii',
  is_blocking: true,
  threshold: 0.5,
  min_pass_rate: 1,
  on_error: 'fail' as const,
  outcome,
  passed: outcome === 'pass',
  pass_rate,
  reason: '',
});
const judges = (pii: number, sim: number) => ({
  pii: { n: 2, errors: 0, mean_score: pii, pass_rate: pii, cost_usd: 0 },
  similarity: { n: 2, errors: 0, mean_score: sim, pass_rate: sim, cost_usd: 0 },
});
const baseline = makeRun({
  id: A,
  endpoint_name: 'GPT-4o mini',
  model_name: 'gpt-4o-mini',
  dataset_name: 'Support FAQ',
  dataset_version: 3,
  summary: { judges: judges(1, 0.5), guardrails: [guardrail('pass', 1)] },
});
// Similarity improves a lot, PII (blocking) drops: a mean of the two would go up.
const candidate = makeRun({
  id: B,
  gate: makeGate({ state: 'fail', title: 'Blocking guardrail failed: pii' }),
  summary: { judges: judges(0.5, 1), guardrails: [guardrail('fail', 0.5)] },
});
const side = (id: string, output: string, pii: [number, boolean], sim: [number, boolean]) => ({
  result_id: id,
  llm_output: output,
  status: 'succeeded',
  scores: { pii: { score: pii[0], passed: pii[1] }, similarity: { score: sim[0], passed: sim[1] } },
});
const comparison = {
  baseline_run_id: A,
  candidate_run_id: B,
  paired: true,
  alpha: 0.05,
  judges: [],
  samples: {
    items: [
      {
        sample_key: 's1',
        repetition: 0,
        input_text: 'q1',
        changed: true,
        baseline: side('r1', 'Refunds take 5 days.', [1, true], [0.4, false]),
        candidate: side('r2', 'Refunds take 7 days.', [1, true], [0.9, true]),
      },
      {
        sample_key: 's2',
        repetition: 0,
        input_text: 'q2',
        changed: true,
        baseline: side('r3', 'No contact details.', [1, true], [0.6, true]),
        candidate: side('r4', 'Mail jo@example.com.', [0, false], [0.6, true]),
      },
      {
        sample_key: 's3',
        repetition: 0,
        input_text: 'q3',
        changed: false,
        baseline: side('r5', 'Same.', [1, true], [0.8, true]),
        candidate: side('r6', 'Same.', [1, true], [0.8, true]),
      },
    ],
    total: 3,
    offset: 0,
    limit: 50,
  },
};

afterEach(resetFakeApi);

function setup(url = `/compare?a=${A}&b=${B}`, compare: Handler = () => comparison) {
  fakeApi({
    'GET /api/eval/runs': () => ({ items: [baseline, candidate], total: 2, offset: 0, limit: 100 }),
    'GET /api/eval/runs/{id}': (p) => (p.path?.id === A ? baseline : candidate),
    'GET /api/eval/compare': compare,
  });
  renderRoute('/compare', ComparePage, url);
}

const sampleKeys = () =>
  within(screen.getByRole('table', { name: 'Samples compared' }))
    .getAllByRole('rowheader')
    .map((th) => th.textContent?.replace(/changed/, '').trim());

describe('ComparePage', () => {
  it('shows each judge and the blocking guardrail failure, never an averaged overall', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Pass rate and guardrail per judge' });
    const pii = table.querySelector('tr[data-judge="pii"]');
    expect(pii?.textContent).toContain('(blocking)');
    expect(pii?.textContent).toContain('blocking failure');
    expect(pii?.textContent).toContain('−50.0%');
    expect(document.body.textContent).not.toMatch(/overall/i);
    expect(document.body.textContent).toContain('GPT-4o mini (gpt-4o-mini) · Support FAQ v3');
  });

  it('diffs outputs word by word and shows per-sample score changes', async () => {
    setup();
    const row = (await screen.findByRole('table', { name: 'Samples compared' })).querySelector(
      'tr[data-sample="s1"]',
    ) as HTMLElement;
    expect(row.querySelector('del')?.textContent).toBe('[removed: 5 ]');
    expect(row.querySelector('ins')?.textContent).toBe('[added: 7 ]');
    const changes = row.querySelector('.score-changes')?.textContent ?? '';
    expect(changes).toContain('Similarity 0.40 → 0.90 (+0.50)');
    expect(changes).toContain('fail → pass');
  });

  it('asks the server for the sort and filters in the URL, from the first page, and shows its order', async () => {
    const asked: Record<string, unknown>[] = [];
    const [s1, s2, s3] = comparison.samples.items;
    setup(`/compare?a=${A}&b=${B}&sort=regression&offset=50`, (p) => {
      asked.push(p.query ?? {});
      const items = p.query?.judge === 'pii' ? [s2] : [s2, s3, s1];
      return { ...comparison, samples: { ...comparison.samples, items, total: items.length } };
    });
    await screen.findByRole('table', { name: 'Samples compared' });
    // The server's order is shown as it is: the page reorders nothing.
    expect(sampleKeys()).toEqual(['s2', 's3', 's1']);
    expect(asked.at(-1)).toEqual({ run_ids: `${A},${B}`, sort: 'regression', offset: 50, limit: 50 });
    const form = screen.getByRole('form', { name: 'Sample view' });
    fireEvent.change(within(form).getByLabelText('Judge'), { target: { value: 'pii' } });
    fireEvent.change(within(form).getByLabelText('Show'), { target: { value: 'changed' } });
    expect(
      await screen.findByText(/Across both whole runs: 1 sample changed on PII, largest score drop first/),
    ).toBeTruthy();
    expect(sampleKeys()).toEqual(['s2']);
    // A new view starts at its first page.
    expect(asked.at(-1)).toEqual({
      run_ids: `${A},${B}`,
      sort: 'regression',
      judge: 'pii',
      change: 'changed',
      offset: 0,
      limit: 50,
    });
  });
});
