import { type Accessor, type JSX, Match, type Resource, Switch } from 'solid-js';
import { ApiRequestError } from '../api/client';

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
 * Loading, error and data states of a resource in one place. Children get an accessor, so a
 * refetch updates the view in place instead of rebuilding it.
 */
export function Loadable<T>(props: {
  resource: Resource<T>;
  label?: string;
  retry?: () => void;
  children: (data: Accessor<NonNullable<T>>) => JSX.Element;
}) {
  return (
    <Switch fallback={<Loading label={props.label} />}>
      <Match when={props.resource.error}>
        <ErrorBox
          error={props.resource.error}
          title={`Could not load ${props.label ?? 'this'}`}
          retry={props.retry}
        />
      </Match>
      <Match when={props.resource.latest}>{(data) => props.children(data as Accessor<NonNullable<T>>)}</Match>
    </Switch>
  );
}
