import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, type Endpoint, type ProviderSecret } from '../../api/client';
import { type EndpointFields, EndpointForm } from './EndpointForm';

const endpoint: Endpoint = {
  id: '00000000-0000-4000-8000-000000000001',
  project_id: '00000000-0000-4000-8000-000000000002',
  name: 'Local vLLM',
  provider: 'openai',
  model_name: 'llama-3-8b',
  endpoint_url: 'http://vllm.internal/v1',
  config: { temperature: 0 },
  api_key_env: 'EVALFORGE_PROVIDER_VLLM',
  secret_id: null,
  archived_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

const secret = (id: string, name: string, hint = '…WXYZ'): ProviderSecret => ({
  id,
  project_id: endpoint.project_id,
  name,
  hint,
  endpoint_count: 0,
  last_used_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});
const SECRETS = [
  secret('00000000-0000-4000-8000-0000000000e1', 'anthropic-prod'),
  secret('00000000-0000-4000-8000-0000000000e2', 'openai-prod', '…'),
];

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('EndpointForm', () => {
  it('tests what the form holds before it is saved, and again with the edits made since', async () => {
    const onTest = vi.fn(async () => ({
      ok: true,
      latency_ms: 12,
      reply: 'It works.',
      error: null,
      error_kind: null,
    }));
    const onSubmit = vi.fn(async () => undefined);
    render(() => <EndpointForm submitLabel="Add endpoint" onSubmit={onSubmit} onTest={onTest} />);
    type('Model', 'fake-model');
    type('Endpoint URL', 'http://127.0.0.1:9/v1');
    type('Temperature', '0');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const panel = await screen.findByRole('region', { name: 'Connection test of fake-model (not saved)' });
    await waitFor(() => expect(panel.textContent).toContain('It works.'));
    expect(onTest).toHaveBeenCalledWith({
      name: null,
      provider: 'openai',
      model_name: 'fake-model',
      endpoint_url: 'http://127.0.0.1:9/v1',
      api_key_env: null,
      secret_id: null,
      config: { temperature: 0 },
    });
    type('Max tokens', '64');
    fireEvent.click(screen.getByRole('button', { name: 'Test again' }));
    await waitFor(() => expect(onTest).toHaveBeenCalledTimes(2));
    expect(onTest).toHaveBeenLastCalledWith(
      expect.objectContaining({ config: { temperature: 0, max_tokens: 64 } }),
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('has no Test connection without onTest', () => {
    render(() => <EndpointForm submitLabel="Add endpoint" onSubmit={async () => undefined} />);
    expect(screen.queryByRole('button', { name: 'Test connection' })).toBeNull();
  });

  it('labels every field, sends what was typed (blanks as null), disables itself while saving, then clears', async () => {
    let resolve!: (v: unknown) => void;
    const onSubmit = vi.fn((_: EndpointFields) => new Promise((r) => (resolve = r)));
    render(() => <EndpointForm submitLabel="Add endpoint" onSubmit={onSubmit} />);
    for (const label of [
      'Name',
      'Provider',
      'Model',
      'Endpoint URL',
      'Provider secret',
      'API key variable',
    ]) {
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
      secret_id: null,
      config: {},
    });
    const saving = screen.getByRole('button', { name: 'Saving…' }) as HTMLButtonElement;
    expect(saving.disabled).toBe(true);
    expect((screen.getByLabelText('Model').closest('fieldset') as HTMLFieldSetElement).disabled).toBe(true);
    resolve({});
    await waitFor(() => expect((screen.getByLabelText('Model') as HTMLInputElement).value).toBe(''));
    expect((screen.getByLabelText('Provider') as HTMLSelectElement).value).toBe('openai');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('sets temperature, max tokens and prices in config, keeping its other keys on edit', async () => {
    const onSubmit = vi.fn(async (_: EndpointFields) => ({}));
    render(() => (
      <EndpointForm
        initial={{ ...endpoint, config: { temperature: 0, rpm: 60, price_per_1k_input: 0.5 } }}
        submitLabel="Save"
        onSubmit={onSubmit}
      />
    ));
    expect((screen.getByLabelText('Temperature') as HTMLInputElement).value).toBe('0');
    expect((screen.getByLabelText('Price per 1k input tokens (USD)') as HTMLInputElement).value).toBe('0.5');
    type('Temperature', '0.7');
    type('Max tokens', '256');
    type('Price per 1k input tokens (USD)', '');
    type('Price per 1k output tokens (USD)', '0.6');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0].config).toEqual({
      temperature: 0.7,
      rpm: 60,
      max_tokens: 256,
      price_per_1k_output: 0.6,
    });
  });

  it('leaves config out of an edit that changes none of its fields', async () => {
    const onSubmit = vi.fn(async (_: EndpointFields) => ({}));
    render(() => <EndpointForm initial={endpoint} submitLabel="Save" onSubmit={onSubmit} />);
    type('Model', 'llama-3.1-8b');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).not.toHaveProperty('config');
    expect(onSubmit.mock.calls[0][0].model_name).toBe('llama-3.1-8b');
  });

  it("shows the API's message and details next to the form and marks the blamed field", async () => {
    const onSubmit = vi.fn(async () => {
      throw new ApiRequestError(400, 'validation_error', 'invalid request', [
        { path: 'api_key_env', message: 'must be an environment variable name', code: 'invalid_format' },
      ]);
    });
    render(() => <EndpointForm initial={endpoint} submitLabel="Save" onSubmit={onSubmit} />);
    // Editing starts from the endpoint's values.
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

  it("picks one of the project's secrets (sending its id), keeps the pick when the list reloads, and clears to null", async () => {
    const onSubmit = vi.fn(async (_: EndpointFields) => ({}));
    const [secrets, setSecrets] = createSignal<ProviderSecret[] | undefined>(undefined);
    render(() => (
      <EndpointForm
        initial={{ ...endpoint, secret_id: SECRETS[1].id }}
        secrets={secrets()}
        submitLabel="Save"
        onSubmit={onSubmit}
      />
    ));
    const select = screen.getByLabelText('Provider secret') as HTMLSelectElement;
    // Still loading: the endpoint's secret stays selected, so saving now does not clear it.
    expect(select.value).toBe(SECRETS[1].id);
    expect(select.selectedOptions[0].textContent).toContain('loading');
    setSecrets(SECRETS);
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'None: use the key variable',
      'anthropic-prod (…WXYZ)',
      'openai-prod',
    ]);
    expect(select.value).toBe(SECRETS[1].id);
    expect(screen.getByText(/when set, the key variable is not used/).id).toBe(
      select.getAttribute('aria-describedby'),
    );

    fireEvent.change(select, { target: { value: SECRETS[0].id } });
    setSecrets([...SECRETS.map((s) => ({ ...s })), secret('00000000-0000-4000-8000-0000000000e3', 'new')]);
    expect(select.value).toBe(SECRETS[0].id);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).toMatchObject({
      secret_id: SECRETS[0].id,
      api_key_env: 'EVALFORGE_PROVIDER_VLLM',
    });

    fireEvent.change(select, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1][0].secret_id).toBeNull();
  });

  it('names the key variables the API allows, and puts its refusals next to the field they blame', async () => {
    let refusal: ApiRequestError = new ApiRequestError(
      422,
      'api_key_env_not_allowed',
      'api_key_env MY_KEY is not an allowed provider key variable; allowed: …',
      { allowed: ['OPENAI_API_KEY', 'AZURE_OPENAI_KEY'], allowed_prefix: 'EVALFORGE_PROVIDER_' },
    );
    const onSubmit = vi.fn(async () => {
      throw refusal;
    });
    render(() => <EndpointForm secrets={SECRETS} submitLabel="Add endpoint" onSubmit={onSubmit} />);
    const keyEnv = screen.getByLabelText('API key variable');
    const hint = document.getElementById(keyEnv.getAttribute('aria-describedby') ?? '') as HTMLElement;
    expect(hint.textContent).toContain('OPENAI_API_KEY, ANTHROPIC_API_KEY or EVALFORGE_PROVIDER_*');

    const submitWith = async (code: string) => {
      fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
      return (await screen.findByRole('alert', {}, {})).textContent?.includes(code) ?? false;
    };
    type('Model', 'gpt-4o-mini');
    type('API key variable', 'MY_KEY');
    expect(await submitWith('api_key_env_not_allowed')).toBe(true);
    // The server's own allowlist, from the details, right under the field and in its description.
    const described = () => (keyEnv.getAttribute('aria-describedby') ?? '').split(' ');
    const inline = document.getElementById(described()[0]) as HTMLElement;
    expect(inline.textContent).toBe(
      'Not an allowed key variable: use OPENAI_API_KEY, AZURE_OPENAI_KEY or a name starting with EVALFORGE_PROVIDER_, or pick a provider secret.',
    );
    expect(inline.closest('.field')).toBe(keyEnv.closest('.field'));
    expect(keyEnv.getAttribute('aria-invalid')).toBe('true');
    expect(described()).toContain(screen.getByRole('alert').id);
    // The details object is worded next to the field, not dumped as JSON below the form.
    expect(screen.getByRole('alert').textContent).not.toContain('allowed_prefix');
    expect(screen.getByLabelText('Provider secret').getAttribute('aria-invalid')).toBe('false');

    refusal = new ApiRequestError(
      422,
      'unknown_secret',
      'secret_id x is not a provider secret of this project',
    );
    fireEvent.change(screen.getByLabelText('Provider secret'), { target: { value: SECRETS[0].id } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Provider secret').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(keyEnv.getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByLabelText('Provider secret').closest('.field')?.textContent).toContain(
      'Not a provider secret of this project',
    );

    refusal = new ApiRequestError(
      422,
      'endpoint_url_not_allowed',
      'endpoint_url not allowed: 169.254.169.254 is a link-local address: always refused',
      { path: 'endpoint_url', category: 'link_local' },
    );
    type('Endpoint URL', 'http://169.254.169.254/v1');
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const url = screen.getByLabelText('Endpoint URL');
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    expect(url.closest('.field')?.textContent).toContain(
      'The workers may not call this URL: 169.254.169.254 is a link-local address: always refused.',
    );
    expect(screen.getByLabelText('Provider secret').getAttribute('aria-invalid')).toBe('false');
    // A failed add keeps what was typed.
    expect((url as HTMLInputElement).value).toBe('http://169.254.169.254/v1');
  });
});
