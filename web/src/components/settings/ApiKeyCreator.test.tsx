import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, type CreatedApiKey } from '../../api/client';
import { ApiKeyCreator } from './ApiKeyCreator';

const KEY = 'ef_3q2-7wEXAMPLEk9yP1m0bQd8Zx4vT6nL2sR5uH7jK0c';
const created = (name: string): CreatedApiKey => ({
  id: '00000000-0000-4000-8000-000000000004',
  project_id: '00000000-0000-4000-8000-000000000002',
  name,
  key_prefix: KEY.slice(0, 8),
  last_used_at: null,
  revoked_at: null,
  created_at: '2026-01-01T00:00:00Z',
  key: KEY,
});

describe('ApiKeyCreator', () => {
  it('shows the new key once with a copy button, and forgets it when dismissed', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const onCreate = vi.fn(async (name: string) => created(name));
    const { container } = render(() => <ApiKeyCreator onCreate={onCreate} />);
    fireEvent.input(screen.getByLabelText('Key name'), { target: { value: 'CI' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(onCreate).toHaveBeenCalledWith('CI');
    const field = (await screen.findByLabelText('New key')) as HTMLInputElement;
    expect(field.value).toBe(KEY);
    expect(field.readOnly).toBe(true);
    expect(screen.getByTestId('new-key').textContent).toContain('shown only this once');
    expect(document.activeElement).toBe(field);
    fireEvent.click(screen.getByRole('button', { name: 'Copy key' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied to the clipboard.'));
    expect(writeText).toHaveBeenCalledWith(KEY);
    expect((screen.getByLabelText('Key name') as HTMLInputElement).value).toBe('');

    fireEvent.click(screen.getByRole('button', { name: 'Done, I stored it' }));
    expect(screen.queryByLabelText('New key')).toBeNull();
    expect(container.innerHTML).not.toContain(KEY);
  });

  it('shows why the API refused and shows no key', async () => {
    const onCreate = vi.fn(async () => {
      throw new ApiRequestError(400, 'validation_error', 'invalid request', [
        { path: 'name', message: 'Too small: expected string to have >=1 characters', code: 'too_small' },
      ]);
    });
    render(() => <ApiKeyCreator onCreate={onCreate} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('name: Too small');
    expect(screen.getByLabelText('Key name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByLabelText('New key')).toBeNull();
  });
});
