import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoint, EndpointUpdate, ProviderSecret } from '../../api/client';
import { fakeApi, resetFakeApi } from '../../testing/api';
import { renderRoute } from '../../testing/router';
import { PROJECT_ID } from '../../testing/runs';
import { EndpointsSection } from './EndpointsSection';

const SECRET: ProviderSecret = {
  id: '00000000-0000-4000-8000-0000000000e1',
  project_id: PROJECT_ID,
  name: 'openai-prod',
  hint: '…WXYZ',
  endpoint_count: 0,
  last_used_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

const endpoint = (id: string, name: string, extra: Partial<Endpoint> = {}): Endpoint => ({
  id,
  project_id: PROJECT_ID,
  name,
  provider: 'openai',
  model_name: 'gpt-4o-mini',
  endpoint_url: null,
  config: {},
  api_key_env: 'OPENAI_API_KEY',
  secret_id: null,
  archived_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...extra,
});

afterEach(resetFakeApi);

describe('EndpointsSection', () => {
  it('lists a secret by its name, and sends secret_id only when an edit changes it', async () => {
    let stored = [
      endpoint('e1', 'GPT-4o mini'),
      endpoint('e2', 'Claude', { secret_id: SECRET.id, api_key_env: null }),
    ];
    const page = <T,>(items: T[]) => ({ items, total: items.length, offset: 0, limit: 500 });
    const api = fakeApi({
      'GET /api/projects/{id}/endpoints': () => page(stored),
      'GET /api/projects/{id}/secrets': () =>
        page([{ ...SECRET, endpoint_count: stored.filter((e) => e.secret_id === SECRET.id).length }]),
      'PUT /api/endpoints/{id}': ({ path }, body) => {
        stored = stored.map((e) => (e.id === path?.id ? { ...e, ...(body as Partial<Endpoint>) } : e));
        return stored.find((e) => e.id === path?.id);
      },
    });
    renderRoute('/', () => <EndpointsSection project={PROJECT_ID} />, '/');
    const row = (name: string) => screen.getByText(name).closest('tr') as HTMLElement;
    await screen.findByText('Claude');
    await waitFor(() => expect(row('Claude').textContent).toContain('secret: openai-prod'));
    expect(row('GPT-4o mini').textContent).toContain('from $OPENAI_API_KEY');
    const gets = (path: string) => api.GET.mock.calls.filter(([p]) => p === path).length;

    // An edit that leaves the secret alone does not send it, and the secrets' counts do not reload.
    fireEvent.click(screen.getByRole('button', { name: 'Edit endpoint Claude' }));
    let dialog = await screen.findByRole('dialog', { name: 'Edit endpoint Claude' });
    expect((within(dialog).getByLabelText('Provider secret') as HTMLSelectElement).value).toBe(SECRET.id);
    fireEvent.input(within(dialog).getByLabelText('Model'), { target: { value: 'claude-3-5-haiku' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save endpoint' }));
    await expect.poll(() => screen.queryByRole('dialog')).toBeNull();
    expect(api.PUT.mock.calls[0][1]?.body as EndpointUpdate).not.toHaveProperty('secret_id');
    expect(gets('/api/projects/{id}/secrets')).toBe(1);

    // Picking the secret for the other endpoint sends it; the list shows it, and the counts reload.
    fireEvent.click(screen.getByRole('button', { name: 'Edit endpoint GPT-4o mini' }));
    dialog = await screen.findByRole('dialog', { name: 'Edit endpoint GPT-4o mini' });
    fireEvent.change(within(dialog).getByLabelText('Provider secret'), { target: { value: SECRET.id } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save endpoint' }));
    await expect.poll(() => screen.queryByRole('dialog')).toBeNull();
    expect(api.PUT.mock.calls[1][1]?.body).toMatchObject({ secret_id: SECRET.id });
    await waitFor(() => expect(row('GPT-4o mini').textContent).toContain('secret: openai-prod'));
    // It still names a key variable, which the secret now takes the place of.
    expect(row('GPT-4o mini').textContent).toContain('($OPENAI_API_KEY unused)');
    expect(gets('/api/projects/{id}/secrets')).toBe(2);
  });
});
