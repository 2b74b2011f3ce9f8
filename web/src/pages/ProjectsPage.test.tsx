import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeStatus, fakeApi, resetFakeApi } from '../testing/api';
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

  it('on an empty install, says how to start and creates a project from the page', async () => {
    const projects: { id: string; name: string; description: string | null }[] = [];
    const api = fakeApi({
      'GET /api/projects': () => ({ items: projects, total: projects.length, offset: 0, limit: 500 }),
      'GET /api/eval/runs': () => ({ items: [], total: 0, offset: 0, limit: 5 }),
      'POST /api/projects': (_, body) => {
        const project = { id: PROJECT_ID, ...(body as { name: string; description: string | null }) };
        projects.push(project);
        return new FakeStatus(201, project);
      },
    });
    renderRoute('/', ProjectsPage, '/');
    expect((await screen.findByText(/No projects yet/)).textContent).toContain('Create one below');
    const form = screen.getByRole('form', { name: 'New project' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Support bot' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create project' }));
    await waitFor(() =>
      expect(api.POST).toHaveBeenCalledWith('/api/projects', {
        body: { name: 'Support bot', description: null },
      }),
    );
  });
});
