import { type JSX, onCleanup, onMount } from 'solid-js';
import { Portal } from 'solid-js/web';

/** A modal panel: focus moves in on open, Escape or the close button closes, focus returns after. */
export function Dialog(props: { title: string; onClose: () => void; children: JSX.Element }) {
  let panel!: HTMLDivElement;
  const previous = document.activeElement as HTMLElement | null;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.onClose();
  };
  onMount(() => {
    document.addEventListener('keydown', onKey);
    panel.focus();
  });
  onCleanup(() => {
    document.removeEventListener('keydown', onKey);
    previous?.focus?.();
  });
  return (
    <Portal>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut; Escape and the close button are the keyboard paths */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled on the document */}
      <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
        <div
          class="dialog"
          role="dialog"
          aria-modal="true"
          aria-label={props.title}
          tabIndex={-1}
          ref={panel}
        >
          <header class="dialog-header">
            <h2>{props.title}</h2>
            <button type="button" class="secondary" onClick={() => props.onClose()} aria-label="Close">
              ✕
            </button>
          </header>
          <div class="dialog-body">{props.children}</div>
        </div>
      </div>
    </Portal>
  );
}
