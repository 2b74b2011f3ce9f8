import { createSignal, createUniqueId, Show } from 'solid-js';
import type { CreatedApiKey } from '../../api/client';
import { createSubmitter } from '../../lib/submit';
import { blames } from '../FormError';
import { SettingsForm } from './SettingsForm';

/**
 * Creates a project API key and shows it exactly once: the key lives only in this component's
 * memory until "Done" (or leaving the page) drops it; the API keeps only its hash and never returns it again.
 */
export function ApiKeyCreator(props: { onCreate: (name: string) => Promise<CreatedApiKey> }) {
  const id = createUniqueId();
  const submit = createSubmitter();
  const [created, setCreated] = createSignal<CreatedApiKey | null>(null);
  const [copyState, setCopyState] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  let keyField: HTMLInputElement | undefined;

  const onSubmit = async (form: HTMLFormElement) => {
    const name = String(new FormData(form).get('name') ?? '').trim();
    const key = await submit.run(() => props.onCreate(name));
    if (key) {
      form.reset();
      setCopyState('idle');
      setCreated(key);
      keyField?.focus();
      keyField?.select();
    }
  };
  const copy = async () => {
    const key = created()?.key;
    if (!key) return;
    try {
      await navigator.clipboard.writeText(key);
      setCopyState('copied');
    } catch {
      keyField?.select();
      setCopyState('failed');
    }
  };

  return (
    <>
      <SettingsForm
        label="Create API key"
        submitter={submit}
        submitLabel="Create key"
        busyLabel="Creating…"
        onSubmit={onSubmit}
      >
        <div class="field">
          <label>
            Key name
            <input
              name="name"
              type="text"
              required
              placeholder="GitHub Actions"
              aria-invalid={blames(submit.error(), 'name')}
              aria-describedby={`key-name-hint-${id}`}
            />
          </label>
          <span class="hint" id={`key-name-hint-${id}`}>
            What the key is for.
          </span>
        </div>
      </SettingsForm>
      <Show when={created()}>
        {(k) => (
          <section class="banner banner-info new-key" aria-label="New API key" data-testid="new-key">
            <p>
              <strong>Key “{k().name}” created.</strong> Copy it now: it is shown only this once and cannot be
              shown again.
            </p>
            <div class="toolbar">
              <label>
                New key
                <input
                  ref={keyField}
                  class="key-value"
                  type="text"
                  readOnly
                  value={k().key}
                  size={k().key.length}
                  autocomplete="off"
                  spellcheck={false}
                  onFocus={(e) => e.currentTarget.select()}
                />
              </label>
              <button type="button" onClick={copy}>
                Copy key
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setCreated(null);
                  setCopyState('idle');
                }}
              >
                Done, I stored it
              </button>
              <span role="status" class="muted">
                {copyState() === 'copied'
                  ? 'Copied to the clipboard.'
                  : copyState() === 'failed'
                    ? 'Could not copy: the key is selected, press Ctrl+C.'
                    : ''}
              </span>
            </div>
          </section>
        )}
      </Show>
    </>
  );
}
