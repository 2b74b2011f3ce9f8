import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeFailure, fakeApi, resetFakeApi } from '../testing/api';
import { renderRoute } from '../testing/router';
import { makeRun, NOT_EVALUATED, PROJECT_ID } from '../testing/runs';
import { RunPage } from './RunPage';

/** A finished run whose blocking PII guardrail got only judge errors: the gate says "not evaluated". */
const run = makeRun({
  gate: NOT_EVALUATED,
  summary: {
    judges: { pii: { n: 3, errors: 3, mean_score: null, pass_rate: null, cost_usd: 0 } },
    guardrails: [
      {
        judge_type: 'pii',
        is_blocking: true,
        threshold: 0.5,
        min_pass_rate: 1,
        on_error: 'fail',
        outcome: 'error',
        passed: false,
        pass_rate: null,
        reason: 'pii: not evaluated: every score was a judge error (3)',
        counts: { counted: 3, passed: 0, failed: 0, errors: 3, unscored: 0 },
      },
    ],
    verdict: 'error',
  },
});

const emptyPage = { items: [], total: 0, offset: 0, limit: 50 };
const histogram = {
  run_id: run.id,
  count: 0,
  excluded: 0,
  min_ms: null,
  max_ms: null,
  p50_ms: null,
  p95_ms: null,
  bin_width_ms: null,
  bins: [],
};
const handlers = (getRun: () => unknown) => ({
  'GET /api/eval/runs/{id}': getRun,
  'GET /api/projects/{id}': () => ({ id: PROJECT_ID, name: 'Support bot', description: null }),
  'GET /api/eval/runs/{id}/results': () => emptyPage,
  'GET /api/eval/runs/{id}/latency-histogram': () => histogram,
  'GET /api/eval/runs/{id}/reviews/summary': () => ({
    run_id: run.id,
    reviews: 0,
    reviewed_results: 0,
    judges: [],
  }),
});

afterEach(resetFakeApi);

describe('RunPage', () => {
  it("shows the gate's decision, not a verdict of its own: a run that measured nothing is not evaluated", async () => {
    fakeApi(handlers(() => run));
    renderRoute('/runs/:id', RunPage, `/runs/${run.id}`);
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading.textContent).toContain('completed');
    expect(heading.textContent).toContain('Not evaluated');
    expect(heading.querySelector('.badge-pass')).toBeNull();
    const gate = screen.getByRole('region', { name: 'Gate decision' });
    expect(gate.textContent).toContain('Not evaluated: blocking guardrail not evaluated: pii');
    expect(within(gate).getByRole('list', { name: 'Why the gate did not pass' }).textContent).toContain(
      'every score was a judge error (3)',
    );
    const guardrail = document.querySelector('.guardrails li');
    expect(guardrail?.textContent).toContain('not evaluated (blocking)');
    expect(guardrail?.textContent).toContain('0 of 3 passed · 3 judge errors');
    expect((await screen.findByRole('link', { name: 'Support bot' })).getAttribute('href')).toBe(
      `/projects/${PROJECT_ID}`,
    );
  });

  it('shows a failed load with "Try again", which reloads the run', async () => {
    let calls = 0;
    const api = fakeApi(
      handlers(() => {
        if (++calls === 1) throw new FakeFailure(503, 'unavailable', 'database unavailable');
        return run;
      }),
    );
    renderRoute('/runs/:id', RunPage, `/runs/${run.id}`);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load run');
    expect(alert.textContent).toContain('database unavailable');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toContain('Not evaluated');
    expect(api.GET.mock.calls.filter(([path]) => path === '/api/eval/runs/{id}')).toHaveLength(2);
  });
});

describe('RunPage results sort', () => {
  const resultCalls = (api: ReturnType<typeof fakeApi>) =>
    api.GET.mock.calls
      .filter(([path]) => path === '/api/eval/runs/{id}/results')
      .map(([, init]) => init?.params?.query);

  it('asks the server for the sort in the URL, and a new sort starts at the first page', async () => {
    const api = fakeApi(handlers(() => run));
    renderRoute('/runs/:id', RunPage, `/runs/${run.id}?sort=-score:pii&offset=50`);
    const form = await screen.findByRole('form', { name: 'Result filters' });
    const select = within(form).getByLabelText('Sort') as HTMLSelectElement;
    expect(select.value).toBe('-score:pii');
    expect(resultCalls(api).at(-1)).toEqual({ sort: '-score:pii', offset: 50, limit: 50 });
    fireEvent.change(select, { target: { value: 'latency' } });
    await waitFor(() => expect(resultCalls(api).at(-1)).toEqual({ sort: 'latency', offset: 0, limit: 50 }));
    // Clearing the filters keeps the order.
    fireEvent.click(within(form).getByRole('button', { name: 'Clear filters' }));
    expect(resultCalls(api).at(-1)).toMatchObject({ sort: 'latency' });
  });

  it('ignores a sort the API would refuse, showing dataset order', async () => {
    const api = fakeApi(handlers(() => run));
    renderRoute('/runs/:id', RunPage, `/runs/${run.id}?sort=bogus`);
    const form = await screen.findByRole('form', { name: 'Result filters' });
    expect((within(form).getByLabelText('Sort') as HTMLSelectElement).value).toBe('');
    expect(resultCalls(api).at(-1)).toEqual({ offset: 0, limit: 50 });
  });

  it("keeps the run on screen when its reviews' agreement cannot be loaded", async () => {
    fakeApi({
      ...handlers(() => run),
      'GET /api/eval/runs/{id}/reviews/summary': () => {
        throw new FakeFailure(503, 'unavailable', 'database unavailable');
      },
    });
    renderRoute('/runs/:id', RunPage, `/runs/${run.id}`);
    const agreement = await screen.findByRole('region', { name: 'Agreement of human reviews with judges' });
    await waitFor(() =>
      expect(within(agreement).getByRole('alert').textContent).toContain('Could not load reviews'),
    );
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('completed');
  });
});
