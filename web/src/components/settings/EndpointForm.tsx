import { createEffect, createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import { ApiRequestError, type Endpoint, type EndpointCreate, type ProviderSecret } from '../../api/client';
import { createSubmitter } from '../../lib/submit';
import { blames } from '../FormError';
import { EndpointTest, type EndpointTestOutcome } from '../forms/EndpointTest';
import { SettingsForm } from './SettingsForm';

export const PROVIDERS: Endpoint['provider'][] = ['openai', 'anthropic', 'huggingface', 'custom'];

/** The variables the API allows in api_key_env by default (core/provider-keys.ts); the operator may change the names. */
export const DEFAULT_KEY_ENVS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'];
export const KEY_ENV_PREFIX = 'EVALFORGE_PROVIDER_';

/** What the form sends: the fields a person edits here. `config` is the endpoint's config with the
 * generation settings and prices edited here; its other keys (limits, timeouts…) stay as they are.
 * An edit that changes none of them leaves `config` out, so the stored config is not sent back. */
export type EndpointFields = Required<Pick<EndpointCreate, 'provider' | 'model_name'>> & {
  name: string | null;
  endpoint_url: string | null;
  api_key_env: string | null;
  secret_id: string | null;
  config?: Record<string, unknown>;
};

/** The config keys edited here (core/endpoint-config.ts), each a number; empty leaves the default. */
export const CONFIG_FIELDS = [
  {
    key: 'temperature',
    label: 'Temperature',
    step: '0.1',
    min: '0',
    max: '2',
    hint: '0–2; empty for the provider default.',
  },
  { key: 'max_tokens', label: 'Max tokens', step: '1', min: '1', hint: 'Longest answer, in tokens.' },
  {
    key: 'price_per_1k_input',
    label: 'Price per 1k input tokens (USD)',
    step: 'any',
    min: '0',
    hint: 'For cost; empty: the built-in price table.',
  },
  {
    key: 'price_per_1k_output',
    label: 'Price per 1k output tokens (USD)',
    step: 'any',
    min: '0',
    hint: 'For cost; empty: the built-in price table.',
  },
] as const;

type FieldName = 'endpoint_url' | 'api_key_env' | 'secret_id';

const blankToNull = (v: string) => (v.trim() === '' ? null : v.trim());

const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;

/** "OPENAI_API_KEY, ANTHROPIC_API_KEY or a name starting with EVALFORGE_PROVIDER_" (as the API words it). */
function allowlistText(names: string[], prefix: string) {
  const byPrefix = `a name starting with ${prefix}`;
  return names.length ? `${names.join(', ')} or ${byPrefix}` : byPrefix;
}

/**
 * The API's refusals that blame one field without zod details, worded for the field they are
 * shown next to: a key variable off the allowlist, a secret that is not the project's, an
 * endpoint URL the workers may not call.
 */
export function endpointFieldError(error: unknown): { field: FieldName; message: string } | null {
  if (!(error instanceof ApiRequestError)) return null;
  switch (error.code) {
    case 'api_key_env_not_allowed': {
      const details = (error.details ?? {}) as { allowed?: unknown; allowed_prefix?: unknown };
      const names = strings(details.allowed) ?? DEFAULT_KEY_ENVS;
      const prefix = typeof details.allowed_prefix === 'string' ? details.allowed_prefix : KEY_ENV_PREFIX;
      return {
        field: 'api_key_env',
        message: `Not an allowed key variable: use ${allowlistText(names, prefix)}, or pick a provider secret.`,
      };
    }
    case 'unknown_secret':
      return {
        field: 'secret_id',
        message: 'Not a provider secret of this project (was it deleted?): pick another one, or none.',
      };
    case 'endpoint_url_not_allowed':
      return {
        field: 'endpoint_url',
        message: `The workers may not call this URL: ${error.message.replace(/^endpoint_url not allowed:\s*/, '')}.`,
      };
    default:
      return null;
  }
}

/** A secret as the select lists it: its name, and the hint when the value was long enough to have one. */
const secretOption = (s: ProviderSecret) => (s.hint.length > 1 ? `${s.name} (${s.hint})` : s.name);

/**
 * Create or edit a model endpoint. The provider key never passes through this form: it points at
 * one of the project's provider secrets (stored encrypted), or names the environment variable that
 * holds the key on the workers, as the API does.
 */
export function EndpointForm(props: {
  initial?: Endpoint;
  /** The project's provider secrets for the select; undefined while they load. */
  secrets?: readonly ProviderSecret[];
  submitLabel: string;
  onSubmit: (fields: EndpointFields) => Promise<unknown>;
  onCancel?: () => void;
  /** "Test connection" of what the form holds, before it is saved; no button without it. */
  onTest?: (fields: EndpointCreate) => Promise<EndpointTestOutcome>;
}) {
  const id = createUniqueId();
  const errorId = `endpoint-error-${id}`;
  const [provider, setProvider] = createSignal<Endpoint['provider']>(props.initial?.provider ?? 'openai');
  // Kept in a signal so the choice survives the list reloading (a secret added meanwhile).
  const [secretId, setSecretId] = createSignal(props.initial?.secret_id ?? '');
  const submit = createSubmitter();
  const fieldError = createMemo(() => endpointFieldError(submit.error()));
  /** Below the form: the API's message and code; the field's own wording sits next to the field. */
  const formError = createMemo(() => {
    const err = submit.error();
    return fieldError() && err instanceof ApiRequestError
      ? new ApiRequestError(err.status, err.code, err.message)
      : err;
  });
  const errorOf = (field: FieldName) => (fieldError()?.field === field ? fieldError()?.message : undefined);
  const invalid = (field: string) => blames(submit.error(), field) || fieldError()?.field === field;
  const described = (field: string) =>
    [
      fieldError()?.field === field ? `${field}-error-${id}` : null,
      invalid(field) ? errorId : null,
      `${field}-hint-${id}`,
    ]
      .filter(Boolean)
      .join(' ');
  /** The selected secret when the list does not have it (yet): still loading, or gone. */
  const unlisted = () => {
    const selected = secretId();
    return selected && !props.secrets?.some((s) => s.id === selected) ? selected : null;
  };
  let secretSelect!: HTMLSelectElement;
  // Options come and go with the list (loading, a reload): select the chosen one again after each change.
  createEffect(() => {
    void props.secrets;
    void unlisted();
    secretSelect.value = secretId();
  });

  /** The fields as the form holds them now, and the whole config with the edits made here. */
  const read = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const fields: EndpointFields = {
      name: blankToNull(text('name')),
      provider: provider(),
      model_name: text('model_name').trim(),
      endpoint_url: blankToNull(text('endpoint_url')),
      api_key_env: blankToNull(text('api_key_env')),
      secret_id: blankToNull(secretId()),
    };
    const config: Record<string, unknown> = { ...(props.initial?.config ?? {}) };
    let changed = false;
    for (const { key } of CONFIG_FIELDS) {
      const raw = text(key).trim();
      // NaN goes to the API as it is, which says what it expects.
      const value = raw === '' ? undefined : Number(raw);
      if (!Object.is(value, config[key])) changed = true;
      if (value === undefined) delete config[key];
      else config[key] = value;
    }
    return { fields, config, changed };
  };
  // Each click starts a new test (the panel is keyed on it); the test reads the form when it runs.
  const [testing, setTesting] = createSignal<{ form: HTMLFormElement; label: string } | null>(null);
  const startTest = (form: HTMLFormElement | null) => {
    if (!form) return;
    const { fields } = read(form);
    setTesting({ form, label: `${fields.name ?? (fields.model_name || fields.provider)} (not saved)` });
  };

  const onSubmit = async (form: HTMLFormElement) => {
    const { fields, config, changed } = read(form);
    if (!props.initial || changed) fields.config = config;
    await submit.run(() => props.onSubmit(fields));
    if (!submit.error() && !props.initial) {
      form.reset();
      setProvider('openai');
      setSecretId('');
      setTesting(null);
    }
  };

  const FieldError = (p: { field: FieldName }) => (
    <Show when={errorOf(p.field)}>
      {(message) => (
        <span class="field-error" id={`${p.field}-error-${id}`}>
          {message()}
        </span>
      )}
    </Show>
  );

  return (
    <>
      <SettingsForm
        label={props.initial ? 'Edit endpoint' : 'Add endpoint'}
        submitter={submit}
        error={formError()}
        submitLabel={props.submitLabel}
        errorId={errorId}
        onSubmit={onSubmit}
        onCancel={props.onCancel}
        actions={
          <Show when={props.onTest}>
            <button type="button" class="secondary" onClick={(e) => startTest(e.currentTarget.form)}>
              Test connection
            </button>
          </Show>
        }
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
          <FieldError field="endpoint_url" />
          <span class="hint" id={`endpoint_url-hint-${id}`}>
            Empty for the provider's default. No credentials in it.
          </span>
        </div>
        <div class="field">
          <label>
            Provider secret
            <select
              ref={secretSelect}
              name="secret_id"
              aria-invalid={invalid('secret_id')}
              aria-describedby={described('secret_id')}
              onChange={(e) => setSecretId(e.currentTarget.value)}
            >
              <option value="">None: use the key variable</option>
              <For each={props.secrets}>{(s) => <option value={s.id}>{secretOption(s)}</option>}</For>
              <Show when={unlisted()}>
                {(missing) => (
                  <option value={missing()}>
                    {props.secrets ? 'a secret no longer listed' : 'the current secret (loading…)'}
                  </option>
                )}
              </Show>
            </select>
          </label>
          <FieldError field="secret_id" />
          <span class="hint" id={`secret_id-hint-${id}`}>
            A key stored encrypted under Provider secrets; when set, the key variable is not used.
          </span>
        </div>
        <For each={CONFIG_FIELDS}>
          {(f) => (
            <div class="field">
              <label>
                {f.label}
                <input
                  name={f.key}
                  type="number"
                  step={f.step}
                  min={f.min}
                  max={'max' in f ? f.max : undefined}
                  value={
                    typeof props.initial?.config[f.key] === 'number'
                      ? String(props.initial.config[f.key])
                      : ''
                  }
                  aria-invalid={invalid(`config.${f.key}`)}
                  aria-describedby={`${f.key}-hint-${id}`}
                />
              </label>
              <span class="hint" id={`${f.key}-hint-${id}`}>
                {f.hint}
              </span>
            </div>
          )}
        </For>
        <div class="field field-wide">
          <label>
            API key variable
            <input
              name="api_key_env"
              type="text"
              value={props.initial?.api_key_env ?? ''}
              placeholder="OPENAI_API_KEY"
              list={`key-envs-${id}`}
              autocomplete="off"
              spellcheck={false}
              aria-invalid={invalid('api_key_env')}
              aria-describedby={described('api_key_env')}
            />
          </label>
          <datalist id={`key-envs-${id}`}>
            <For each={DEFAULT_KEY_ENVS}>{(name) => <option value={name} />}</For>
          </datalist>
          <FieldError field="api_key_env" />
          <span class="hint" id={`api_key_env-hint-${id}`}>
            Or the workers' variable holding the key, never the key itself: {DEFAULT_KEY_ENVS.join(', ')} or{' '}
            {KEY_ENV_PREFIX}* (unless the operator set others).
          </span>
        </div>
      </SettingsForm>
      <Show when={props.onTest && testing()} keyed>
        {(t) => (
          <EndpointTest
            label={t.label}
            test={() => {
              const { fields, config } = read(t.form);
              return (props.onTest as NonNullable<typeof props.onTest>)({ ...fields, config });
            }}
            onClose={() => setTesting(null)}
          />
        )}
      </Show>
    </>
  );
}
