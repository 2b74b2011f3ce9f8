import { createSignal, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import { FormError } from './FormError';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** Elements inside `root` that Tab can reach, in document order. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[hidden], [inert]'));
}

/** Open dialogs, innermost last: only the innermost answers Escape and holds focus. */
const openDialogs: HTMLElement[] = [];

/**
 * A modal panel. Focus moves in on open (to the element marked `data-autofocus`, else the panel),
 * Tab and Shift+Tab cycle inside it, focus that wanders out (a click behind it) is pulled back,
 * Escape or the close button closes, and focus returns to the element that opened it.
 */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: JSX.Element;
  footer?: JSX.Element;
  class?: string;
}) {
  let panel!: HTMLDivElement;
  const previous = document.activeElement as HTMLElement | null;
  const innermost = () => openDialogs[openDialogs.length - 1] === panel;

  const onKey = (e: KeyboardEvent) => {
    if (!innermost()) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      props.onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = focusableIn(panel);
    if (items.length === 0) {
      e.preventDefault();
      panel.focus();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement as HTMLElement | null;
    const inside = !!active && panel.contains(active) && active !== panel;
    if (e.shiftKey && (!inside || active === first)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (!inside || active === last)) {
      e.preventDefault();
      first.focus();
    }
  };
  const onFocusIn = (e: FocusEvent) => {
    if (innermost() && e.target instanceof Node && !panel.contains(e.target)) {
      (focusableIn(panel)[0] ?? panel).focus();
    }
  };

  onMount(() => {
    openDialogs.push(panel);
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocusIn);
    (panel.querySelector<HTMLElement>('[data-autofocus]') ?? panel).focus();
  });
  onCleanup(() => {
    const at = openDialogs.indexOf(panel);
    if (at >= 0) openDialogs.splice(at, 1);
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('focusin', onFocusIn);
    if (previous?.isConnected) previous.focus();
  });
  return (
    <Portal>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut; Escape and the close button are the keyboard paths */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled on the document */}
      <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
        <div
          class={`dialog ${props.class ?? ''}`}
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
          <Show when={props.footer}>
            <footer class="dialog-footer">{props.footer}</footer>
          </Show>
        </div>
      </div>
    </Portal>
  );
}

/**
 * "Are you sure?" for destructive actions. The safe choice has focus first; while `onConfirm` runs
 * both buttons are disabled, and its error (the API's message and details) shows in the dialog.
 */
export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => Promise<unknown> | unknown;
  onClose: () => void;
  children: JSX.Element;
}) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={props.title}
      onClose={() => !busy() && props.onClose()}
      class="dialog-confirm"
      footer={
        <>
          <button type="button" class="secondary" data-autofocus disabled={busy()} onClick={props.onClose}>
            {props.cancelLabel ?? 'Cancel'}
          </button>
          <button type="button" class="danger" disabled={busy()} aria-busy={busy()} onClick={confirm}>
            {busy() ? 'Working…' : props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
      <FormError error={error()} />
    </Dialog>
  );
}
