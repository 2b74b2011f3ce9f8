import type { AccessorWithLatest } from '@solidjs/router';
import { type Accessor, createEffect, ErrorBoundary, type JSX, on, Show } from 'solid-js';
import { ApiRequestError } from '../api/client';
import { latestOr } from '../lib/async';

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {props.label ?? ''}…
    </p>
  );
}

export function ErrorBox(props: { error: unknown; title?: string; retry?: () => void }) {
  const message = () => (props.error instanceof Error ? props.error.message : String(props.error));
  const code = () => (props.error instanceof ApiRequestError ? props.error.code : null);
  return (
    <div class="error-box" role="alert">
      <strong>{props.title ?? 'Something went wrong'}</strong>
      <p>
        {message()}
        {code() ? <span class="muted"> ({code()})</span> : null}
      </p>
      {props.retry ? (
        <button type="button" onClick={() => props.retry?.()}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/**
 * Loading, error and data states of a `createAsync` in one place. Children get an accessor of its
 * latest value, so a reload (revalidate) updates the view in place instead of rebuilding it or
 * flashing "Loading". A failed load throws where it is read: the boundary here shows it.
 */
export function Loadable<T>(props: {
  data: AccessorWithLatest<T | undefined>;
  label?: string;
  /** Default: "Could not load <label>". */
  errorTitle?: string;
  /** Reloads the data (revalidate its query); resolves once the reload has started. */
  retry?: () => Promise<unknown>;
  children: (data: Accessor<NonNullable<T>>) => JSX.Element;
}) {
  return (
    <ErrorBoundary
      fallback={(error, reset) => {
        // Loaded after all (another reader's retry, new arguments): show it again.
        createEffect(
          on(
            () => latestOr(props.data),
            (data) => data !== undefined && reset(),
            { defer: true },
          ),
        );
        return (
          <ErrorBox
            error={error}
            title={props.errorTitle ?? `Could not load ${props.label ?? 'this'}`}
            retry={
              props.retry &&
              (async () => {
                await props.retry?.();
                reset();
              })
            }
          />
        );
      }}
    >
      <Show when={props.data.latest} fallback={<Loading label={props.label} />}>
        {(data) => props.children(data)}
      </Show>
    </ErrorBoundary>
  );
}
