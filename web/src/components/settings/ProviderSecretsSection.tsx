import { createAsync, revalidate, useAction } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { createSecret, deleteSecret, replaceSecret } from '../../api/actions';
import { ApiRequestError, type Endpoint, type ProviderSecret } from '../../api/client';
import { getEndpoints, getSecrets } from '../../api/queries';
import { latestOr } from '../../lib/async';
import { dateTime } from '../../lib/format';
import { DataTable } from '../DataTable';
import { ConfirmDialog, Dialog } from '../Dialog';
import { Loadable } from '../Loadable';
import { RowAction } from './RowAction';
import { explainSecretError, SecretForm } from './SecretForm';

export const usedBy = (n: number) => (n === 0 ? 'unused' : `used by ${n} endpoint${n === 1 ? '' : 's'}`);

const endpointName = (e: Endpoint) =>
  `${e.name ?? `${e.provider}/${e.model_name}`}${e.archived_at ? ' (archived)' : ''}`;

/**
 * The 409 of a delete, with the endpoints that still use the secret by name (archived ones count:
 * they could be unarchived). Falls back to their ids when the list cannot be read.
 */
async function explainInUse(err: unknown, projectId: string): Promise<unknown> {
  if (!(err instanceof ApiRequestError) || err.code !== 'in_use') return explainSecretError(err);
  const ids = (err.details as { endpoint_ids?: unknown } | undefined)?.endpoint_ids;
  if (!Array.isArray(ids)) return err;
  let names = ids.map(String);
  try {
    const endpoints = await getEndpoints(projectId, true);
    names = names.map((id) => {
      const e = endpoints.find((x) => x.id === id);
      return e ? endpointName(e) : id;
    });
  } catch {
    // The ids still say which endpoints.
  }
  return new ApiRequestError(
    err.status,
    err.code,
    `Still used by ${names.length === 1 ? 'an endpoint' : `${names.length} endpoints`}: ${names.join(', ')}. ` +
      `Point ${names.length === 1 ? 'it' : 'them'} at another secret (or none) first.`,
  );
}

/**
 * The project's provider secrets: keys for its endpoints, stored encrypted by the API. Values are
 * write-only: added or replaced here, never shown; the list has names, the API's hint (last 4
 * characters), how many endpoints use each and when a worker last used it.
 */
export function ProviderSecretsSection(props: { project: string }) {
  const secrets = createAsync(() => getSecrets(props.project));
  const create = useAction(createSecret);
  const replace = useAction(replaceSecret);
  const remove = useAction(deleteSecret);
  // Keyed dialogs get the secret itself: it stays readable while a closing dialog finishes.
  const [replacing, setReplacing] = createSignal<ProviderSecret | null>(null);
  const [deleting, setDeleting] = createSignal<ProviderSecret | null>(null);
  const [notice, setNotice] = createSignal('');
  return (
    <section class="panel" aria-labelledby="secrets-h">
      <h2 id="secrets-h">Provider secrets</h2>
      <p class="muted">
        Provider API keys for this project's endpoints, stored encrypted on the server. A value is written
        once and never shown again, here or by the API; pick a secret on an endpoint to use it.
      </p>
      <Loadable data={secrets} label="provider secrets" retry={() => revalidate(getSecrets.key)}>
        {(list) => (
          <DataTable
            columns={['Name', 'Value', 'Endpoints', 'Last used', 'Updated', 'Actions']}
            rows={list()}
            empty="No provider secrets."
            label="Provider secrets"
          >
            {(s) => (
              <tr>
                <td>{s.name}</td>
                <td>
                  <Show when={s.hint.length > 1} fallback={<span class="muted">hidden (short value)</span>}>
                    <code>{s.hint}</code>
                  </Show>
                </td>
                <td>{usedBy(s.endpoint_count)}</td>
                <td>{s.last_used_at ? dateTime(s.last_used_at) : 'never'}</td>
                <td>{dateTime(s.updated_at)}</td>
                <td class="row-actions">
                  <RowAction
                    label="Replace value"
                    name={`Replace value of secret ${s.name}`}
                    onClick={() => setReplacing(s)}
                  />
                  <RowAction
                    label="Delete"
                    name={`Delete secret ${s.name}`}
                    danger
                    onClick={() => setDeleting(s)}
                  />
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
      <p class="muted" role="status">
        {notice()}
      </p>
      <h3>Add a secret</h3>
      <SecretForm
        existing={latestOr(secrets)?.map((s) => s.name)}
        submitLabel="Add secret"
        onSubmit={async (name, value) => {
          setNotice('');
          const { replaced } = await create(props.project, name, value);
          setNotice(
            replaced
              ? `Replaced the value of secret “${name}”.`
              : `Stored secret “${name}”. Its value is not shown again.`,
          );
        }}
      />
      <Show when={replacing()} keyed>
        {(secret) => (
          <Dialog title={`Replace value of secret ${secret.name}`} onClose={() => setReplacing(null)}>
            <p>
              {usedBy(secret.endpoint_count).replace(/^u/, 'U')}
              {secret.endpoint_count === 0
                ? '.'
                : secret.endpoint_count === 1
                  ? ': it uses the new value from its next run.'
                  : ': they use the new value from their next run.'}
            </p>
            <SecretForm
              replacing={secret}
              submitLabel="Replace value"
              onCancel={() => setReplacing(null)}
              onSubmit={async (_name, value) => {
                setNotice('');
                await replace(secret.id, value);
                setReplacing(null);
                setNotice(`Replaced the value of secret “${secret.name}”.`);
              }}
            />
          </Dialog>
        )}
      </Show>
      <Show when={deleting()} keyed>
        {(secret) => (
          <ConfirmDialog
            title={`Delete secret ${secret.name}?`}
            confirmLabel="Delete secret"
            onClose={() => setDeleting(null)}
            onConfirm={async () => {
              try {
                await remove(secret.id);
              } catch (err) {
                throw await explainInUse(err, props.project);
              }
              setNotice(`Deleted secret “${secret.name}”.`);
            }}
          >
            <p>
              The encrypted value is erased; this cannot be undone.{' '}
              {secret.endpoint_count
                ? `It is ${usedBy(secret.endpoint_count)}: point ${secret.endpoint_count === 1 ? 'it' : 'them'} at another secret first.`
                : 'No endpoint uses it.'}
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}
