import { createSignal } from 'solid-js';
import { apiKeyStore } from '../../api/client';

/** The API key this browser sends; stored locally, never shown again once saved. */
export function BrowserKey() {
  const [stored, setStored] = createSignal(apiKeyStore.get() !== '');
  let input!: HTMLInputElement;
  return (
    <form
      class="filters"
      aria-label="API key for this browser"
      onSubmit={(e) => {
        e.preventDefault();
        apiKeyStore.set(input.value.trim());
        input.value = '';
        setStored(apiKeyStore.get() !== '');
      }}
    >
      <label>
        API key
        <input ref={input} type="password" autocomplete="off" placeholder="ef_…" />
      </label>
      <button type="submit">Save in this browser</button>
      <button
        type="button"
        class="secondary"
        disabled={!stored()}
        onClick={() => {
          apiKeyStore.set('');
          setStored(false);
        }}
      >
        Forget key
      </button>
      <span class="muted" role="status">
        {stored() ? 'A key is stored in this browser (not shown).' : 'No key stored: fine in dev mode.'}
      </span>
    </form>
  );
}
