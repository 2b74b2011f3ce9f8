import { useSubmissions } from '@solidjs/router';
import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecret } from '../../api/actions';
import type { Endpoint, ProviderSecret } from '../../api/client';
import { FakeFailure, FakeStatus, fakeApi, resetFakeApi } from '../../testing/api';
import { renderRoute } from '../../testing/router';
import { PROJECT_ID } from '../../testing/runs';
import { ProviderSecretsSection } from './ProviderSecretsSection';

const VALUE = 'sk-live-0123456789abcdefWXYZ';

const secret = (id: string, name: string, extra: Partial<ProviderSecret> = {}): ProviderSecret => ({
  id,
  project_id: PROJECT_ID,
  name,
  hint: '…WXYZ',
  endpoint_count: 0,
  last_used_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...extra,
});

const endpoint = (id: string, name: string, archived = false): Endpoint => ({
  id,
  project_id: PROJECT_ID,
  name,
  provider: 'openai',
  model_name: 'gpt-4o-mini',
  endpoint_url: null,
  config: {},
  api_key_env: null,
  secret_id: 's1',
  archived_at: archived ? '2026-01-02T00:00:00Z' : null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

const gets = (api: ReturnType<typeof fakeApi>, path: string) =>
  api.GET.mock.calls.filter(([p]) => p === path).length;

afterEach(resetFakeApi);

describe('ProviderSecretsSection', () => {
  it('adds a secret whose value is sent once, emptied from the form and kept nowhere on the page', async () => {
    let stored = [
      secret('s1', 'anthropic-prod', { endpoint_count: 2, last_used_at: '2026-01-03T10:00:00Z' }),
    ];
    const api = fakeApi({
      'GET /api/projects/{id}/secrets': () => ({
        items: stored,
        total: stored.length,
        offset: 0,
        limit: 500,
      }),
      'POST /api/projects/{id}/secrets': (_params, body) => {
        const { name, value } = body as { name: string; value: string };
        const created = secret('s2', name, { hint: `…${value.slice(-4)}` });
        stored = [...stored, created];
        return new FakeStatus(201, created);
      },
    });
    let submissions!: { length: number; [i: number]: { input: unknown[] } };
    const { container } = renderRoute(
      '/',
      () => {
        submissions = useSubmissions(createSecret);
        return <ProviderSecretsSection project={PROJECT_ID} />;
      },
      '/',
    );
    const table = await screen.findByRole('table', { name: 'Provider secrets' });
    const row = within(table).getByText('anthropic-prod').closest('tr') as HTMLElement;
    expect(row.textContent).toContain('…WXYZ');
    expect(row.textContent).toContain('used by 2 endpoints');

    const form = screen.getByRole('form', { name: 'Add secret' });
    const value = within(form).getByLabelText('Value') as HTMLInputElement;
    expect(value.type).toBe('password');
    // The form says what happens to the value, where the field's description is read.
    expect(document.getElementById(value.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
      'never shown again',
    );
    fireEvent.input(within(form).getByLabelText('Secret name'), { target: { value: 'openai-prod' } });
    fireEvent.input(value, { target: { value: VALUE } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add secret' }));
    expect(value.value).toBe('');
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Stored secret “openai-prod”. Its value is not shown again.',
      ),
    );
    expect(api.POST).toHaveBeenCalledWith('/api/projects/{id}/secrets', {
      params: { path: { id: PROJECT_ID } },
      body: { name: 'openai-prod', value: VALUE },
    });
    await within(table).findByText('openai-prod');
    await waitFor(() =>
      expect((within(form).getByLabelText('Secret name') as HTMLInputElement).value).toBe(''),
    );
    expect(value.value).toBe('');
    expect(container.innerHTML).not.toContain(VALUE);
    expect(document.body.innerHTML).not.toContain(VALUE);
    // The router keeps each action call's arguments until the next navigation: the value is not among them.
    expect(submissions.length).toBe(1);
    expect(JSON.stringify(submissions[0].input)).not.toContain(VALUE);
    expect(() => (submissions[0].input[2] as { take(): string }).take()).toThrow(/already sent/);
    // Only the secrets reloaded.
    expect(gets(api, '/api/projects/{id}/secrets')).toBe(2);
    expect(gets(api, '/api/projects/{id}/endpoints')).toBe(0);
  });

  it('says when a name replaces a secret, and what to set when the server has no encryption key', async () => {
    fakeApi({
      'GET /api/projects/{id}/secrets': () => ({
        items: [secret('s1', 'openai-prod')],
        total: 1,
        offset: 0,
        limit: 500,
      }),
      'POST /api/projects/{id}/secrets': () => {
        throw new FakeFailure(503, 'encryption_key_missing', 'provider secrets are unavailable: …');
      },
    });
    renderRoute('/', () => <ProviderSecretsSection project={PROJECT_ID} />, '/');
    await screen.findByText('openai-prod');
    const form = screen.getByRole('form', { name: 'Add secret' });
    fireEvent.input(within(form).getByLabelText('Secret name'), { target: { value: 'openai-prod' } });
    expect(form.textContent).toContain('A secret of this name exists: its value is replaced.');
    fireEvent.input(within(form).getByLabelText('Value'), { target: { value: VALUE } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add secret' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toContain('The server has no encryption key: set EVALFORGE_ENCRYPTION_KEY');
    expect(alert.textContent).toContain('(encryption_key_missing)');
    // Emptied even though it failed: it is typed again, never kept.
    expect((within(form).getByLabelText('Value') as HTMLInputElement).value).toBe('');
    expect((within(form).getByLabelText('Secret name') as HTMLInputElement).value).toBe('openai-prod');
  });

  it('replaces a value from a dialog with a password field', async () => {
    let stored = secret('s1', 'openai-prod', { endpoint_count: 1 });
    const api = fakeApi({
      'GET /api/projects/{id}/secrets': () => ({ items: [stored], total: 1, offset: 0, limit: 500 }),
      'PUT /api/secrets/{id}': (_params, body) => {
        stored = { ...stored, hint: `…${(body as { value: string }).value.slice(-4)}` };
        return stored;
      },
    });
    renderRoute('/', () => <ProviderSecretsSection project={PROJECT_ID} />, '/');
    fireEvent.click(await screen.findByRole('button', { name: 'Replace value of secret openai-prod' }));
    const dialog = await screen.findByRole('dialog', { name: 'Replace value of secret openai-prod' });
    expect(dialog.textContent).toContain('Used by 1 endpoint: it uses the new value from its next run.');
    const field = within(dialog).getByLabelText('New value') as HTMLInputElement;
    expect(field.type).toBe('password');
    expect(document.activeElement).toBe(field);
    fireEvent.input(field, { target: { value: 'sk-rotated-0123456789abcd9876' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Replace value' }));
    await expect.poll(() => screen.queryByRole('dialog')).toBeNull();
    await screen.findByText('…9876');
    expect(screen.getByRole('status').textContent).toBe('Replaced the value of secret “openai-prod”.');
    expect(api.PUT).toHaveBeenCalledWith('/api/secrets/{id}', {
      params: { path: { id: 's1' } },
      body: { value: 'sk-rotated-0123456789abcd9876' },
    });
    expect(document.body.innerHTML).not.toContain('sk-rotated');
  });

  it('deletes after a confirmation, and on 409 names the endpoints that still use the secret', async () => {
    let stored = [secret('s1', 'openai-prod', { endpoint_count: 2 }), secret('s2', 'spare')];
    const api = fakeApi({
      'GET /api/projects/{id}/secrets': () => ({
        items: stored,
        total: stored.length,
        offset: 0,
        limit: 500,
      }),
      'GET /api/projects/{id}/endpoints': () => ({
        items: [endpoint('e1', 'GPT-4o mini'), endpoint('e2', 'Old GPT', true), endpoint('e3', 'Other')],
        total: 3,
        offset: 0,
        limit: 500,
      }),
      'DELETE /api/secrets/{id}': ({ path }) => {
        if (path?.id === 's1')
          throw new FakeFailure(
            409,
            'in_use',
            'secret is used by 2 endpoint(s); point them at another secret first',
            {
              endpoint_ids: ['e1', 'e2'],
            },
          );
        stored = stored.filter((s) => s.id !== path?.id);
        return undefined;
      },
    });
    renderRoute('/', () => <ProviderSecretsSection project={PROJECT_ID} />, '/');
    fireEvent.click(await screen.findByRole('button', { name: 'Delete secret openai-prod' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete secret openai-prod?' });
    expect(dialog.textContent).toContain('It is used by 2 endpoints');
    // The safe choice has focus.
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete secret' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(
      'Still used by 2 endpoints: GPT-4o mini, Old GPT (archived). Point them at another secret (or none) first.',
    );
    expect(alert.textContent).toContain('(in_use)');
    expect(api.GET).toHaveBeenCalledWith('/api/projects/{id}/endpoints', {
      params: { path: { id: PROJECT_ID }, query: { offset: 0, limit: 500, include_archived: 'true' } },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await expect.poll(() => screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Delete secret spare' }));
    const second = await screen.findByRole('dialog', { name: 'Delete secret spare?' });
    expect(second.textContent).toContain('No endpoint uses it.');
    fireEvent.click(within(second).getByRole('button', { name: 'Delete secret' }));
    await expect.poll(() => screen.queryByText('spare')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Deleted secret “spare”.');
    expect(gets(api, '/api/projects/{id}/secrets')).toBe(2);
  });
});
