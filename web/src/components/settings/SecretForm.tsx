import { createSignal, createUniqueId, Show } from 'solid-js';
import { WriteOnlyValue } from '../../api/actions';
import { ApiRequestError, type ProviderSecret } from '../../api/client';
import { createSubmitter } from '../../lib/submit';
import { blames } from '../FormError';
import { SettingsForm } from './SettingsForm';

/** The API's 503 when it cannot encrypt, said as what the operator must do. */
export function explainSecretError(err: unknown): unknown {
  if (err instanceof ApiRequestError && err.code === 'encryption_key_missing') {
    return new ApiRequestError(
      err.status,
      err.code,
      'The server has no encryption key: set EVALFORGE_ENCRYPTION_KEY (on the API and the workers) to store provider secrets.',
    );
  }
  return err;
}

/**
 * Adds a provider secret (name and value), or replaces the value of `replacing`. The value is
 * write-only: it is read from the password field and the field is emptied at once, before the
 * request goes out, so the page holds it only for the request; nothing ever shows it again.
 */
export function SecretForm(props: {
  /** Replace this secret's value: no name field. */
  replacing?: ProviderSecret;
  /** Names of the project's secrets: adding one of them replaces its value (the API upserts by name). */
  existing?: readonly string[];
  submitLabel: string;
  onSubmit: (name: string, value: WriteOnlyValue) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const id = createUniqueId();
  const errorId = `secret-error-${id}`;
  const submit = createSubmitter();
  const [typedName, setTypedName] = createSignal('');
  let valueField!: HTMLInputElement;
  const invalid = (field: string) => blames(submit.error(), field);
  const described = (field: string) =>
    invalid(field) ? `${errorId} secret-${field}-hint-${id}` : `secret-${field}-hint-${id}`;
  const replaces = () => !props.replacing && !!typedName() && !!props.existing?.includes(typedName());

  const onSubmit = async (form: HTMLFormElement) => {
    const name = props.replacing?.name ?? String(new FormData(form).get('name') ?? '').trim();
    const value = new WriteOnlyValue(valueField.value);
    valueField.value = '';
    await submit.run(async () => {
      try {
        return await props.onSubmit(name, value);
      } catch (err) {
        throw explainSecretError(err);
      }
    });
    if (!submit.error() && !props.replacing) {
      form.reset();
      setTypedName('');
    }
  };

  return (
    <SettingsForm
      label={props.replacing ? `Replace value of ${props.replacing.name}` : 'Add secret'}
      submitter={submit}
      submitLabel={props.submitLabel}
      errorId={errorId}
      onSubmit={onSubmit}
      onCancel={props.onCancel}
      note={
        replaces() ? (
          <span class="muted">A secret of this name exists: its value is replaced.</span>
        ) : undefined
      }
    >
      <Show when={!props.replacing}>
        <div class="field">
          <label>
            Secret name
            <input
              name="name"
              type="text"
              required
              maxLength={100}
              placeholder="openai-prod"
              autocomplete="off"
              spellcheck={false}
              onInput={(e) => setTypedName(e.currentTarget.value.trim())}
              aria-invalid={invalid('name')}
              aria-describedby={described('name')}
            />
          </label>
          <span class="hint" id={`secret-name-hint-${id}`}>
            Letters, digits, space, dot, dash, underscore. Cannot be renamed later.
          </span>
        </div>
      </Show>
      <div class="field field-wide">
        <label>
          {props.replacing ? 'New value' : 'Value'}
          <input
            ref={valueField}
            name="value"
            type="password"
            required
            data-autofocus={props.replacing ? true : undefined}
            placeholder="sk-…"
            autocomplete="new-password"
            spellcheck={false}
            aria-invalid={invalid('value')}
            aria-describedby={described('value')}
          />
        </label>
        <span class="hint" id={`secret-value-hint-${id}`}>
          Write-only: stored encrypted, and never shown again. The field is emptied as soon as you submit; the
          list shows only the last 4 characters.
        </span>
      </div>
    </SettingsForm>
  );
}
