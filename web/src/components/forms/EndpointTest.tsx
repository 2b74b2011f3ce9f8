import { createResource, Match, Show, Switch } from 'solid-js';
import { testEndpointConnection } from '../../api/actions';
import { ApiRequestError } from '../../api/client';

export interface EndpointTestOutcome {
  ok: boolean;
  latency_ms: number | null;
  reply: string | null;
  error: string | null;
}

/**
 * "Test connection" of a saved endpoint: a worker sends one short prompt through the runs' own model
 * runner (POST /api/endpoints/{id}/test) and this shows the reply and latency, or why it failed.
 * It tests on mount and again on "Test again"; `test` replaces the API call in tests.
 */
export function EndpointTest(props: {
  endpointId: string;
  label: string;
  onClose?: () => void;
  test?: (id: string) => Promise<EndpointTestOutcome>;
}) {
  const [outcome, { refetch }] = createResource(
    () => props.endpointId,
    async (id): Promise<EndpointTestOutcome> => {
      try {
        return await (props.test ?? testEndpointConnection)(id);
      } catch (err) {
        const message = err instanceof ApiRequestError ? `${err.message} (${err.code})` : String(err);
        return { ok: false, latency_ms: null, reply: null, error: message };
      }
    },
  );
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
                <span class="badge badge-fail">failed</span> {o().error}
              </p>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
}
