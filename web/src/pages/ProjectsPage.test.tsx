import { screen, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, resetFakeApi } from '../testing/api';
import { renderRoute } from '../testing/router';
import { makeGate, makeRun, NOT_EVALUATED, PROJECT_ID } from '../testing/runs';
import { ProjectsPage } from './ProjectsPage';

afterEach(resetFakeApi);

describe('ProjectsPage', () => {
  it('heads each project with the gate of its latest decided run, and a gate badge per run', async () => {
    const runs = [
      makeRun({
        id: 'r3-live',
        status: 'running',
        gate: makeGate({ state: 'pending', title: 'Eval run running' }),
      }),
      makeRun({ id: 'r2-error', gate: NOT_EVALUATED }),
      makeRun({ id: 'r1-passed' }),
    ];
    fakeApi({
      'GET /api/projects': () => ({
        items: [{ id: PROJECT_ID, name: 'Support bot', description: null }],
        total: 1,
        offset: 0,
        limit: 500,
      }),
      'GET /api/eval/runs': () => ({ items: runs, total: 7, offset: 0, limit: 5 }),
    });
    renderRoute('/', ProjectsPage, '/');
    const card = (await screen.findByRole('heading', { name: 'Support bot' })).closest(
      'section',
    ) as HTMLElement;
    const headline = card.querySelector('.overall') as HTMLElement;
    expect(headline.textContent).toContain('Not evaluated');
    expect(headline.textContent).toContain('blocking guardrail not evaluated: pii');
    expect(headline.querySelector('.badge-pass')).toBeNull();
    const runList = within(card).getByRole('list', { name: 'Latest runs of Support bot' });
    const gates = [...runList.querySelectorAll('[data-gate]')].map((b) => b.getAttribute('data-gate'));
    expect(gates).toEqual(['pending', 'error', 'pass']);
    expect(card.textContent).toContain('7 runs');
  });
});
