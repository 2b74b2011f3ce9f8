import { fireEvent, screen, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Guardrail } from '../../api/client';
import { fakeApi, resetFakeApi } from '../../testing/api';
import { renderRoute } from '../../testing/router';
import { PROJECT_ID } from '../../testing/runs';
import { ApiKeysSection } from './ApiKeysSection';
import { GuardrailsSection } from './GuardrailsSection';

const guardrail = (judge_type: string, id: string): Guardrail => ({
  id,
  project_id: PROJECT_ID,
  judge_type,
  threshold: 0.5,
  is_blocking: true,
  config: {},
  enabled: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

afterEach(resetFakeApi);

describe('GuardrailsSection', () => {
  it('reloads the list after a delete: the action revalidates its query, no page-wide refresh', async () => {
    let stored = [guardrail('pii', 'g1'), guardrail('toxicity', 'g2')];
    const api = fakeApi({
      'GET /api/projects/{id}/guardrails': () => stored,
      'GET /api/projects/{id}/api-keys': () => [],
      'DELETE /api/guardrails/{id}': ({ path }) => {
        stored = stored.filter((g) => g.id !== path?.id);
        return undefined;
      },
    });
    renderRoute(
      '/',
      () => (
        <>
          <GuardrailsSection project={PROJECT_ID} />
          <ApiKeysSection project={PROJECT_ID} />
        </>
      ),
      '/',
    );
    await screen.findByText('No keys.');
    const table = (await screen.findByText('PII')).closest('table') as HTMLElement;
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    fireEvent.click(screen.getByRole('button', { name: 'Delete guardrail pii' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete guardrail PII?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete guardrail' }));
    await screen.findByText('Toxicity');
    await expect.poll(() => screen.queryByText('PII')).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.DELETE).toHaveBeenCalledWith('/api/guardrails/{id}', { params: { path: { id: 'g1' } } });
    const gets = (path: string) => api.GET.mock.calls.filter(([p]) => p === path).length;
    expect(gets('/api/projects/{id}/guardrails')).toBe(2);
    expect(gets('/api/projects/{id}/api-keys')).toBe(1);
  });

  it('saves an edit from its dialog, closes it and shows the saved guardrail', async () => {
    let stored = [guardrail('similarity', 'g1')];
    const api = fakeApi({
      'GET /api/projects/{id}/guardrails': () => stored,
      'PATCH /api/guardrails/{id}': (_params, body) => {
        stored = [{ ...stored[0], ...(body as Partial<Guardrail>) }];
        return stored[0];
      },
    });
    renderRoute('/', () => <GuardrailsSection project={PROJECT_ID} />, '/');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit guardrail similarity' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit guardrail Similarity' });
    fireEvent.input(within(dialog).getByLabelText('Score threshold'), { target: { value: '0.75' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save guardrail' }));
    await expect.poll(() => screen.queryByRole('dialog')).toBeNull();
    await screen.findByText('0.75');
    expect(api.PATCH).toHaveBeenCalledTimes(1);
  });
});
