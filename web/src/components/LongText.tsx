import { createSignal, Show } from 'solid-js';

/** Characters shown before a long text collapses behind "Show more". */
export const COLLAPSE_AT_CHARS = 240;

/**
 * Untrusted text (model outputs, sample inputs): always a text node, never HTML; long values
 * collapse. `whole` shows everything (drill-down views).
 */
export function LongText(props: {
  text: string | null | undefined;
  limit?: number;
  whole?: boolean;
  label?: string;
}) {
  const [open, setOpen] = createSignal(false);
  const limit = () => props.limit ?? COLLAPSE_AT_CHARS;
  const text = () => props.text ?? '';
  const long = () => !props.whole && text().length > limit();
  const shown = () => (long() && !open() ? `${text().slice(0, limit())}…` : text());
  return (
    <div class="long-text">
      <Show when={text()} fallback={<span class="muted">(empty)</span>}>
        <pre class="text">{shown()}</pre>
      </Show>
      <Show when={long()}>
        <button
          type="button"
          class="link-button"
          aria-expanded={open()}
          aria-label={`${open() ? 'Show less' : 'Show more'}${props.label ? ` of ${props.label}` : ''}`}
          onClick={(e) => {
            e.stopPropagation();
            setOpen(!open());
          }}
        >
          {open() ? 'Show less' : `Show more (${text().length.toLocaleString('en-US')} chars)`}
        </button>
      </Show>
    </div>
  );
}
