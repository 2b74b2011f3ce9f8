import { createSignal, createUniqueId, For } from 'solid-js';
import type { Endpoint, EndpointCreate } from '../../api/client';
import { createSubmitter } from '../../lib/submit';
import { blames } from '../FormError';
import { SettingsForm } from './SettingsForm';

export const PROVIDERS: Endpoint['provider'][] = ['openai', 'anthropic', 'huggingface', 'custom'];

/** What the form sends: the fields a person edits here. Generation config stays as it is (API/CLI). */
export type EndpointFields = Required<Pick<EndpointCreate, 'provider' | 'model_name'>> & {
  name: string | null;
  endpoint_url: string | null;
  api_key_env: string | null;
};

const blankToNull = (v: string) => (v.trim() === '' ? null : v.trim());

/**
 * Create or edit a model endpoint. The provider key never passes through the page: the form takes
 * the *name* of the environment variable that holds it on the workers, as the API does.
 */
export function EndpointForm(props: {
  initial?: Endpoint;
  submitLabel: string;
  onSubmit: (fields: EndpointFields) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const id = createUniqueId();
  const errorId = `endpoint-error-${id}`;
  const [provider, setProvider] = createSignal<Endpoint['provider']>(props.initial?.provider ?? 'openai');
  const submit = createSubmitter();
  const invalid = (field: string) => blames(submit.error(), field);
  const described = (field: string) =>
    invalid(field) ? `${errorId} ${field}-hint-${id}` : `${field}-hint-${id}`;

  const onSubmit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const fields: EndpointFields = {
      name: blankToNull(text('name')),
      provider: provider(),
      model_name: text('model_name').trim(),
      endpoint_url: blankToNull(text('endpoint_url')),
      api_key_env: blankToNull(text('api_key_env')),
    };
    await submit.run(() => props.onSubmit(fields));
    if (!submit.error() && !props.initial) {
      form.reset();
      setProvider('openai');
    }
  };

  return (
    <SettingsForm
      label={props.initial ? 'Edit endpoint' : 'Add endpoint'}
      submitter={submit}
      submitLabel={props.submitLabel}
      errorId={errorId}
      onSubmit={onSubmit}
      onCancel={props.onCancel}
    >
      <div class="field">
        <label>
          Name
          <input name="name" type="text" value={props.initial?.name ?? ''} placeholder="GPT-4o mini" />
        </label>
        <span class="hint" id={`name-hint-${id}`}>
          Optional display name.
        </span>
      </div>
      <div class="field">
        <label>
          Provider
          <select
            name="provider"
            value={provider()}
            aria-invalid={invalid('provider')}
            onChange={(e) => setProvider(e.currentTarget.value as Endpoint['provider'])}
          >
            <For each={PROVIDERS}>{(p) => <option value={p}>{p}</option>}</For>
          </select>
        </label>
        <span class="hint">openai also covers OpenAI-compatible servers (vLLM, Ollama…).</span>
      </div>
      <div class="field">
        <label>
          Model
          <input
            name="model_name"
            type="text"
            required
            value={props.initial?.model_name ?? ''}
            placeholder="gpt-4o-mini"
            aria-invalid={invalid('model_name')}
            aria-describedby={described('model_name')}
          />
        </label>
        <span class="hint" id={`model_name-hint-${id}`}>
          The model name the provider expects.
        </span>
      </div>
      <div class="field">
        <label>
          Endpoint URL
          <input
            name="endpoint_url"
            type="url"
            value={props.initial?.endpoint_url ?? ''}
            placeholder="https://llm.internal/v1"
            autocomplete="off"
            aria-invalid={invalid('endpoint_url')}
            aria-describedby={described('endpoint_url')}
          />
        </label>
        <span class="hint" id={`endpoint_url-hint-${id}`}>
          Empty for the provider's default. No credentials in it.
        </span>
      </div>
      <div class="field">
        <label>
          API key variable
          <input
            name="api_key_env"
            type="text"
            value={props.initial?.api_key_env ?? ''}
            placeholder="OPENAI_API_KEY"
            autocomplete="off"
            spellcheck={false}
            aria-invalid={invalid('api_key_env')}
            aria-describedby={described('api_key_env')}
          />
        </label>
        <span class="hint" id={`api_key_env-hint-${id}`}>
          Name of the environment variable holding the key on the workers; never the key itself.
        </span>
      </div>
    </SettingsForm>
  );
}
