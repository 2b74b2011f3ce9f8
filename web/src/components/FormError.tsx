import { For, Show } from 'solid-js';
import { ApiRequestError } from '../api/client';

export interface DetailLine {
  /** The request field the API blames ("api_key_env", "config.api_key"), when it names one. */
  path: string | null;
  message: string;
}

/**
 * The API's `error.details` as lines a person can read: zod issues ({path, message}), secret
 * findings ({path, reason}), or anything else as compact JSON.
 */
export function detailLines(details: unknown): DetailLine[] {
  if (details === undefined || details === null) return [];
  const items = Array.isArray(details) ? details : [details];
  return items.map((d) => {
    if (d && typeof d === 'object') {
      const o = d as Record<string, unknown>;
      const message =
        typeof o.message === 'string' ? o.message : typeof o.reason === 'string' ? o.reason : null;
      if (message !== null) {
        const path = typeof o.path === 'string' && o.path !== '' ? o.path : null;
        return { path, message };
      }
    }
    return { path: null, message: typeof d === 'string' ? d : JSON.stringify(d) };
  });
}

/** Whether the API blamed this field (or something inside it): for aria-invalid on the input. */
export function blames(error: unknown, field: string): boolean {
  if (!(error instanceof ApiRequestError)) return false;
  return detailLines(error.details).some(
    (d) => d.path !== null && (d.path === field || d.path.startsWith(`${field}.`)),
  );
}

/** A failed submit, next to its form: the API's message, its code, and each detail line. */
export function FormError(props: { error: unknown; id?: string }) {
  const api = () => (props.error instanceof ApiRequestError ? props.error : null);
  const message = () => (props.error instanceof Error ? props.error.message : String(props.error));
  return (
    <Show when={props.error}>
      <div class="error-box form-error" role="alert" id={props.id}>
        <strong>{message()}</strong>
        <Show when={api()}>{(e) => <span class="muted"> ({e().code})</span>}</Show>
        <Show when={detailLines(api()?.details).length}>
          <ul>
            <For each={detailLines(api()?.details)}>
              {(d) => (
                <li>
                  <Show when={d.path}>
                    <code>{d.path}</code>:{' '}
                  </Show>
                  {d.message}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </Show>
  );
}
