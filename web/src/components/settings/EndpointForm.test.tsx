import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, type Endpoint } from '../../api/client';
import { type EndpointFields, EndpointForm } from './EndpointForm';

const endpoint: Endpoint = {
  id: '00000000-0000-4000-8000-000000000001',
  project_id: '00000000-0000-4000-8000-000000000002',
  name: 'Local vLLM',
  provider: 'openai',
  model_name: 'llama-3-8b',
  endpoint_url: 'http://vllm.internal/v1',
  config: { temperature: 0 },
  api_key_env: 'VLLM_KEY',
  archived_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('EndpointForm', () => {
  it('labels every field, sends what was typed (blanks as null), disables itself while saving, then clears', async () => {
    let resolve!: (v: unknown) => void;
    const onSubmit = vi.fn((_: EndpointFields) => new Promise((r) => (resolve = r)));
    render(() => <EndpointForm submitLabel="Add endpoint" onSubmit={onSubmit} />);
    for (const label of ['Name', 'Provider', 'Model', 'Endpoint URL', 'API key variable']) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
    type('Model', ' claude-3-5-haiku ');
    fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'anthropic' } });
    type('API key variable', 'ANTHROPIC_API_KEY');
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(onSubmit).toHaveBeenCalledWith({
      name: null,
      provider: 'anthropic',
      model_name: 'claude-3-5-haiku',
      endpoint_url: null,
      api_key_env: 'ANTHROPIC_API_KEY',
    });
    const saving = screen.getByRole('button', { name: 'Saving…' }) as HTMLButtonElement;
    expect(saving.disabled).toBe(true);
    expect((screen.getByLabelText('Model').closest('fieldset') as HTMLFieldSetElement).disabled).toBe(true);
    resolve({});
    await waitFor(() => expect((screen.getByLabelText('Model') as HTMLInputElement).value).toBe(''));
    expect((screen.getByLabelText('Provider') as HTMLSelectElement).value).toBe('openai');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows the API's message and details next to the form and marks the blamed field", async () => {
    const onSubmit = vi.fn(async () => {
      throw new ApiRequestError(400, 'validation_error', 'invalid request', [
        { path: 'api_key_env', message: 'must be an environment variable name', code: 'invalid_format' },
      ]);
    });
    render(() => <EndpointForm initial={endpoint} submitLabel="Save" onSubmit={onSubmit} />);
    // Editing starts from the endpoint's values; its config is not part of the form.
    expect((screen.getByLabelText('Endpoint URL') as HTMLInputElement).value).toBe('http://vllm.internal/v1');
    type('API key variable', 'sk-live-123');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('invalid request');
    expect(alert.textContent).toContain('(validation_error)');
    expect(alert.textContent).toContain('api_key_env: must be an environment variable name');
    const field = screen.getByLabelText('API key variable');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain(alert.id);
    expect(screen.getByLabelText('Model').getAttribute('aria-invalid')).toBe('false');
    // An edit keeps what was typed after a failure.
    expect((field as HTMLInputElement).value).toBe('sk-live-123');
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'Local vLLM', api_key_env: 'sk-live-123' }),
    );
  });
});
