import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeStatus, fakeApi, resetFakeApi } from '../../testing/api';
import { renderRoute } from '../../testing/router';
import { makeRun, PROJECT_ID } from '../../testing/runs';
import { NewRunDialog } from './NewRunDialog';

afterEach(resetFakeApi);

const page = <T,>(items: T[]) => ({ items, total: items.length, offset: 0, limit: 500 });
const DATASET = {
  id: '00000000-0000-4000-8000-00000000d001',
  project_id: PROJECT_ID,
  name: 'Smoke test',
  description: null,
  tags: [],
  version: 2,
  sample_count: 4,
  archived_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const ENDPOINT = {
  id: '00000000-0000-4000-8000-00000000e001',
  project_id: PROJECT_ID,
  name: 'Fake',
  provider: 'openai',
  model_name: 'fake-model',
  endpoint_url: 'http://127.0.0.1:1/v1',
  config: {},
  api_key_env: null,
  secret_id: null,
  archived_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const guardrail = (judge_type: string, enabled: boolean) => ({
  id: `g-${judge_type}`,
  project_id: PROJECT_ID,
  judge_type,
  threshold: 1,
  is_blocking: false,
  config: {},
  enabled,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

describe('NewRunDialog', () => {
  it('starts a run with the chosen dataset version, endpoint, ticked judges, repetitions and baseline', async () => {
    const baseline = makeRun({ id: '00000000-0000-4000-8000-00000000b001' });
    const started = makeRun({ id: '00000000-0000-4000-8000-00000000c001', status: 'pending' });
    const api = fakeApi({
      'GET /api/projects/{id}/datasets': () => page([DATASET]),
      'GET /api/datasets/{id}/versions': () =>
        page(
          [1, 2].map((v) => ({
            id: `v${v}`,
            dataset_id: DATASET.id,
            version: v,
            sample_count: v === 1 ? 0 : 4,
          })),
        ),
      'GET /api/projects/{id}/endpoints': () => page([ENDPOINT]),
      'GET /api/projects/{id}/guardrails': () => [guardrail('assertions', true), guardrail('pii', false)],
      'GET /api/eval/runs': () => page([baseline]),
      'POST /api/eval/run': () => new FakeStatus(201, started),
    });
    const onClose = vi.fn();
    renderRoute('/', () => <NewRunDialog project={PROJECT_ID} onClose={onClose} />, '/');
    const dialog = await screen.findByRole('dialog', { name: 'New run' });
    await waitFor(() => expect(within(dialog).getByLabelText('Assertions')).toBeTruthy());
    expect((within(dialog).getByLabelText('Assertions') as HTMLInputElement).checked).toBe(true);
    expect(
      (within(dialog).getByLabelText('Pii (disabled guardrail)', { exact: false }) as HTMLInputElement)
        .checked,
    ).toBe(false);
    await waitFor(() => expect(within(dialog).getByRole('option', { name: 'v1 · 0 samples' })).toBeTruthy());
    expect(within(dialog).getByRole('option', { name: 'latest (v2)' })).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Version'), { target: { value: '2' } });
    fireEvent.input(within(dialog).getByLabelText('Repetitions'), { target: { value: '3' } });
    await waitFor(() => expect(within(dialog).getAllByRole('option', { name: /^Run / })).toHaveLength(1));
    fireEvent.change(within(dialog).getByLabelText('Baseline run'), { target: { value: baseline.id } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start run' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(api.POST).toHaveBeenCalledWith('/api/eval/run', {
      body: {
        project_id: PROJECT_ID,
        dataset_id: DATASET.id,
        dataset_version: 2,
        endpoint_id: ENDPOINT.id,
        judges: ['assertions'],
        repetitions: 3,
        baseline_run_id: baseline.id,
        trigger_type: 'manual',
        cache: false,
      },
    });
  });

  it('says what is missing when the project has no dataset or endpoint yet', async () => {
    fakeApi({
      'GET /api/projects/{id}/datasets': () => page([]),
      'GET /api/projects/{id}/endpoints': () => page([]),
      'GET /api/projects/{id}/guardrails': () => [],
      'GET /api/eval/runs': () => page([]),
    });
    renderRoute('/', () => <NewRunDialog project={PROJECT_ID} onClose={() => {}} />, '/');
    expect(await screen.findByRole('link', { name: 'add a dataset' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'add an endpoint' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start run' })).toBeNull();
  });
});
