import { createAsync, revalidate, useAction } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import {
  createEndpoint,
  deleteEndpoint,
  testEndpointConnection,
  testUnsavedEndpoint,
  updateEndpoint,
} from '../../api/actions';
import type { Endpoint } from '../../api/client';
import { getEndpoints, getSecrets } from '../../api/queries';
import { latestOr } from '../../lib/async';
import { shortId } from '../../lib/format';
import { createSubmitter } from '../../lib/submit';
import { DataTable } from '../DataTable';
import { ConfirmDialog, Dialog } from '../Dialog';
import { FormError } from '../FormError';
import { EndpointTest } from '../forms/EndpointTest';
import { Loadable } from '../Loadable';
import { EndpointForm } from './EndpointForm';
import { RowAction } from './RowAction';

/** Config keys never shown, whatever the server sends (it should never send them). */
const SECRET_KEY = /key|secret|password|token|authorization|credential/i;

const visibleConfig = (config: Record<string, unknown>) =>
  Object.entries(config)
    .filter(([k]) => !SECRET_KEY.test(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');

const endpointLabel = (e: Endpoint) => e.name ?? `${e.provider}/${e.model_name}`;

/**
 * The project's model endpoints: listed without secrets (a provider secret by its name, a key
 * variable by its name), added, edited, archived and deleted.
 */
export function EndpointsSection(props: { project: string }) {
  const [showArchived, setShowArchived] = createSignal(false);
  const endpoints = createAsync(() => getEndpoints(props.project, showArchived()));
  // For the forms' secret select and the secrets' names in the list; a failure shows in their own section.
  const secrets = createAsync(() => getSecrets(props.project));
  const secretList = () => latestOr(secrets);
  const secretName = (id: string) => secretList()?.find((s) => s.id === id)?.name ?? shortId(id);
  const create = useAction(createEndpoint);
  const update = useAction(updateEndpoint);
  const remove = useAction(deleteEndpoint);
  // Keyed dialogs get the endpoint itself: it stays readable while a closing dialog finishes.
  const [editing, setEditing] = createSignal<Endpoint | null>(null);
  const [deleting, setDeleting] = createSignal<Endpoint | null>(null);
  // Set on a click only: a reloaded list does not start the test again.
  const [testing, setTesting] = createSignal<{ id: string; label: string } | null>(null);
  const rowAction = createSubmitter();
  const setArchived = (e: Endpoint, archived: boolean) => rowAction.run(() => update(e.id, { archived }));
  return (
    <section class="panel" aria-labelledby="endpoints-h">
      <div class="panel-head">
        <h2 id="endpoints-h">Model endpoints</h2>
        <label class="check">
          <input
            type="checkbox"
            checked={showArchived()}
            onChange={(e) => setShowArchived(e.currentTarget.checked)}
          />
          Show archived
        </label>
      </div>
      <FormError error={rowAction.error()} />
      <Loadable data={endpoints} label="endpoints" retry={() => revalidate(getEndpoints.key)}>
        {(list) => (
          <DataTable
            columns={['Name', 'Provider / model', 'URL', 'Key', 'Settings', 'Actions']}
            rows={list()}
            empty="No endpoints."
          >
            {(e) => (
              <tr>
                <td>
                  {e.name ?? '–'}{' '}
                  <Show when={e.archived_at}>
                    <span class="badge badge-neutral">archived</span>
                  </Show>
                </td>
                <td>
                  {e.provider} / {e.model_name}
                </td>
                <td>{e.endpoint_url ?? 'provider default'}</td>
                <td>
                  <Show when={e.secret_id} fallback={e.api_key_env ? `from $${e.api_key_env}` : 'none'}>
                    {(id) => (
                      <>
                        secret: {secretName(id())}
                        <Show when={e.api_key_env}>
                          {(env) => <span class="muted"> (${env()} unused)</span>}
                        </Show>
                      </>
                    )}
                  </Show>
                </td>
                <td class="muted">{visibleConfig(e.config) || '–'}</td>
                <td class="row-actions">
                  <RowAction
                    label="Test connection"
                    name={`Test connection to endpoint ${endpointLabel(e)}`}
                    onClick={() => setTesting({ id: e.id, label: endpointLabel(e) })}
                  />
                  <RowAction
                    label="Edit"
                    name={`Edit endpoint ${endpointLabel(e)}`}
                    onClick={() => setEditing(e)}
                  />
                  <RowAction
                    label={e.archived_at ? 'Unarchive' : 'Archive'}
                    name={`${e.archived_at ? 'Unarchive' : 'Archive'} endpoint ${endpointLabel(e)}`}
                    disabled={rowAction.busy()}
                    onClick={() => setArchived(e, !e.archived_at)}
                  />
                  <RowAction
                    label="Delete"
                    name={`Delete endpoint ${endpointLabel(e)}`}
                    danger
                    onClick={() => setDeleting(e)}
                  />
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
      <Show when={testing()} keyed>
        {(endpoint) => (
          <EndpointTest
            label={endpoint.label}
            test={() => testEndpointConnection(endpoint.id)}
            onClose={() => setTesting(null)}
          />
        )}
      </Show>
      <h3>Add an endpoint</h3>
      <EndpointForm
        secrets={secretList()}
        submitLabel="Add endpoint"
        onSubmit={(fields) => create(props.project, { ...fields, config: fields.config ?? {} })}
        onTest={(fields) => testUnsavedEndpoint(props.project, fields)}
      />
      <Show when={editing()} keyed>
        {(endpoint) => (
          <Dialog title={`Edit endpoint ${endpointLabel(endpoint)}`} onClose={() => setEditing(null)}>
            <EndpointForm
              initial={endpoint}
              secrets={secretList()}
              submitLabel="Save endpoint"
              onCancel={() => setEditing(null)}
              onTest={(fields) => testUnsavedEndpoint(props.project, fields)}
              onSubmit={async ({ secret_id, ...fields }) => {
                // secret_id only when it changes: the secrets' endpoint counts reload only then.
                await update(
                  endpoint.id,
                  secret_id === endpoint.secret_id ? fields : { ...fields, secret_id },
                );
                setEditing(null);
              }}
            />
          </Dialog>
        )}
      </Show>
      <Show when={deleting()} keyed>
        {(endpoint) => (
          <ConfirmDialog
            title={`Delete endpoint ${endpointLabel(endpoint)}?`}
            confirmLabel="Delete endpoint"
            onClose={() => setDeleting(null)}
            onConfirm={() => remove(endpoint.id, endpoint.secret_id)}
          >
            <p>
              Only an endpoint no run has used can be deleted; one with runs is kept for their history, so
              archive it instead.
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}
