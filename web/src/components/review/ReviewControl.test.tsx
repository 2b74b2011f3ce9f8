import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Schemas } from '../../api/client';
import { FakeFailure, FakeStatus, fakeApi, resetFakeApi } from '../../testing/api';
import { renderRoute } from '../../testing/router';
import { ReviewAgreement } from './ReviewAgreement';
import { type HumanReview, ReviewControl } from './ReviewControl';

const RUN = '00000000-0000-4000-8000-0000000000b1';
const RESULT = '00000000-0000-4000-8000-0000000000e1';

const review = (extra: Partial<HumanReview> = {}): HumanReview => ({
  id: '00000000-0000-4000-8000-0000000000f1',
  result_id: RESULT,
  run_id: RUN,
  judge_type: null,
  passed: true,
  score: null,
  comment: null,
  reviewer: 'bob',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...extra,
});

afterEach(resetFakeApi);

describe('ReviewControl', () => {
  it('shows the existing reviews, and saves pass/fail with score, comment and judge', async () => {
    let stored = [review({ comment: 'fine by me' })];
    const api = fakeApi({
      'GET /api/eval/runs/{id}/reviews': () => ({
        items: stored,
        total: stored.length,
        offset: 0,
        limit: 500,
      }),
      'PUT /api/eval/runs/{id}/results/{result_id}/review': (_params, body) => {
        const created = review({ ...(body as object), id: 'new', reviewer: 'alice' });
        stored = [created, ...stored];
        return new FakeStatus(201, created);
      },
    });
    renderRoute('/', () => <ReviewControl runId={RUN} resultId={RESULT} judges={['pii', 'toxicity']} />, '/');
    expect(await screen.findByText('fine by me')).toBeTruthy();
    const save = screen.getByRole('button', { name: 'Save review' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // no verdict yet

    fireEvent.click(screen.getByRole('button', { name: /Fail/ }));
    fireEvent.change(screen.getByLabelText('Review of'), { target: { value: 'pii' } });
    fireEvent.input(screen.getByLabelText('Score (0–1, optional)'), { target: { value: '0.2' } });
    fireEvent.input(screen.getByLabelText('Comment'), { target: { value: 'leaks an e-mail' } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);

    await waitFor(() => expect(api.PUT).toHaveBeenCalledTimes(1));
    const [path, init] = api.PUT.mock.calls[0] as [string, { params: unknown; body: unknown }];
    expect(path).toBe('/api/eval/runs/{id}/results/{result_id}/review');
    expect(init.params).toEqual({ path: { id: RUN, result_id: RESULT } });
    expect(init.body).toEqual({ judge_type: 'pii', passed: false, score: 0.2, comment: 'leaks an e-mail' });
    // The list reloads with the new review.
    const list = await screen.findByRole('list', { name: 'Reviews' });
    await waitFor(() => expect(within(list).getByText('leaks an e-mail')).toBeTruthy());
    expect(screen.getByRole('status').textContent).toContain('Saved');
  });

  it('refuses a score outside 0..1 and shows what the API refused', async () => {
    fakeApi({
      'GET /api/eval/runs/{id}/reviews': () => ({ items: [], total: 0, offset: 0, limit: 500 }),
      'PUT /api/eval/runs/{id}/results/{result_id}/review': () => {
        throw new FakeFailure(422, 'unknown_judge', 'judge "pii" did not score result');
      },
    });
    renderRoute('/', () => <ReviewControl runId={RUN} resultId={RESULT} />, '/');
    expect(await screen.findByText('No reviews yet.')).toBeTruthy();
    expect(screen.queryByLabelText('Review of')).toBeNull(); // no judges: overall only
    fireEvent.click(screen.getByRole('button', { name: /Pass/ }));
    fireEvent.input(screen.getByLabelText('Score (0–1, optional)'), { target: { value: '1.5' } });
    const save = screen.getByRole('button', { name: 'Save review' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('Score (0–1, optional)'), { target: { value: '' } });
    fireEvent.click(save);
    expect((await screen.findByRole('alert')).textContent).toContain('did not score');
  });
});

describe('ReviewAgreement', () => {
  const summary: Schemas['ReviewSummary'] = {
    run_id: RUN,
    reviews: 6,
    reviewed_results: 4,
    judges: [
      {
        judge_type: 'pii',
        n: 4,
        both_passed: 1,
        human_only_passed: 0,
        judge_only_passed: 1,
        both_failed: 2,
        agreement: 0.75,
        kappa: 0.5,
      },
      {
        judge_type: 'toxicity',
        n: 1,
        both_passed: 1,
        human_only_passed: 0,
        judge_only_passed: 0,
        both_failed: 0,
        agreement: 1,
        kappa: null,
      },
    ],
  };

  it('shows agreement and kappa per judge from the summary route', async () => {
    fakeApi({ 'GET /api/eval/runs/{id}/reviews/summary': () => summary });
    const { container } = renderRoute('/', () => <ReviewAgreement runId={RUN} />, '/');
    await screen.findByText('4 reviewed results · 6 reviews');
    const pii = container.querySelector('tr[data-judge="pii"]') as HTMLElement;
    expect(pii.textContent).toContain('75%');
    expect(pii.textContent).toContain('0.50');
    const tox = container.querySelector('tr[data-judge="toxicity"]') as HTMLElement;
    expect(tox.textContent).toContain('100%');
    expect(tox.textContent).toContain('–');
  });

  it('says so when nothing was reviewed', async () => {
    renderRoute(
      '/',
      () => (
        <ReviewAgreement runId={RUN} summary={{ run_id: RUN, reviews: 0, reviewed_results: 0, judges: [] }} />
      ),
      '/',
    );
    expect(await screen.findByText(/No reviewed results yet/)).toBeTruthy();
  });
});
