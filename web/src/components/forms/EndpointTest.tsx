import { createResource, Match, Show, Switch } from 'solid-js';
import { ApiRequestError, type Schemas } from '../../api/client';

export type EndpointTestOutcome = Schemas['EndpointTest'];

/**
 * "Test connection": a worker sends one short prompt through the runs' own model runner and this shows
 * the reply and latency, or why it failed. `test` makes the call: of a saved endpoint
 * (POST /api/endpoints/{id}/test) or of a form not saved yet (POST /api/projects/{id}/endpoints/test),
 * read when it is called, so "Test again" tests what the form holds then. Tests on mount and on "Test again".
 */
export function EndpointTest(props: {
  label: string;
  onClose?: () => void;
  test: () => Promise<EndpointTestOutcome>;
}) {
  const [outcome, { refetch }] = createResource(async (): Promise<EndpointTestOutcome> => {
    try {
      return await props.test();
    } catch (err) {
      // A refusal of the API (a URL the workers may not call, a key not paired with it…) is a failed test.
      const message = err instanceof ApiRequestError ? `${err.message} (${err.code})` : String(err);
      return {
        ok: false,
        latency_ms: null,
        reply: null,
        error: message,
        error_kind: err instanceof ApiRequestError ? err.code : null,
      };
    }
  });
  return (
    <section class="panel endpoint-test" aria-label={`Connection test of ${props.label}`}>
      <div class="panel-head">
        <h3>Connection test: {props.label}</h3>
        <span class="toolbar">
          <button type="button" class="secondary" disabled={outcome.loading} onClick={() => refetch()}>
            Test again
          </button>
          <Show when={props.onClose}>
            <button type="button" class="secondary" onClick={() => props.onClose?.()}>
              Close
            </button>
          </Show>
        </span>
      </div>
      <div
        role="status"
        aria-live="polite"
        data-test-state={outcome.loading ? 'testing' : outcome()?.ok ? 'ok' : 'failed'}
      >
        <Switch>
          <Match when={outcome.loading}>
            <p class="muted">Testing: a worker is sending one request…</p>
          </Match>
          <Match when={outcome()?.ok && outcome()}>
            {(o) => (
              <>
                <p>
                  <span class="badge badge-pass">connected</span> The model answered in{' '}
                  {o().latency_ms ?? '?'} ms:
                </p>
                <blockquote class="test-reply">{o().reply || '(an empty reply)'}</blockquote>
              </>
            )}
          </Match>
          <Match when={outcome()}>
            {(o) => (
              <p>
                <span class="badge badge-fail">failed</span>
                <Show when={o().error_kind}>{(kind) => <code class="error-kind"> {kind()}</code>}</Show>{' '}
                {o().error}
                <Show when={o().latency_ms !== null}> (after {o().latency_ms} ms)</Show>
              </p>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
}
