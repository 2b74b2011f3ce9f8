import { type JSX, Show } from 'solid-js';
import type { createSubmitter } from '../../lib/submit';
import { FormError } from '../FormError';

/**
 * The frame of every settings form: the fields in a fieldset that is disabled while the request
 * runs, the submit (and optional cancel) button, and the API's error right below. Browser
 * validation is off so the API's messages are the ones shown.
 */
export function SettingsForm(props: {
  label: string;
  submitter: ReturnType<typeof createSubmitter>;
  /** What to show below the form instead of the submitter's error (a form that words some of it by a field). */
  error?: unknown;
  submitLabel: string;
  busyLabel?: string;
  errorId?: string;
  onSubmit: (form: HTMLFormElement) => void;
  onCancel?: () => void;
  /** More buttons, after submit and cancel. */
  actions?: JSX.Element;
  /** After the buttons: a note about what submitting will do. */
  note?: JSX.Element;
  children: JSX.Element;
}) {
  const busy = () => props.submitter.busy();
  return (
    <form
      class="settings-form"
      aria-label={props.label}
      aria-busy={busy()}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(e.currentTarget);
      }}
    >
      <fieldset disabled={busy()}>{props.children}</fieldset>
      <div class="form-actions">
        <button type="submit" disabled={busy()} aria-busy={busy()}>
          {busy() ? (props.busyLabel ?? 'Saving…') : props.submitLabel}
        </button>
        <Show when={props.onCancel}>
          <button type="button" class="secondary" disabled={busy()} onClick={() => props.onCancel?.()}>
            Cancel
          </button>
        </Show>
        {props.actions}
        {props.note}
      </div>
      <FormError error={'error' in props ? props.error : props.submitter.error()} id={props.errorId} />
    </form>
  );
}
