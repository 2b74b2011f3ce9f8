import { createAsync, revalidate, useAction } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { createApiKey, revokeApiKey } from '../../api/actions';
import type { ApiKeyInfo } from '../../api/client';
import { getApiKeys } from '../../api/queries';
import { dateTime } from '../../lib/format';
import { DataTable } from '../DataTable';
import { ConfirmDialog } from '../Dialog';
import { Loadable } from '../Loadable';
import { ApiKeyCreator } from './ApiKeyCreator';
import { RowAction } from './RowAction';

/** The project's API keys: created (shown once), listed by prefix, revoked. */
export function ApiKeysSection(props: { project: string }) {
  const keys = createAsync(() => getApiKeys(props.project));
  const create = useAction(createApiKey);
  const revoke = useAction(revokeApiKey);
  const [revoking, setRevoking] = createSignal<ApiKeyInfo | null>(null);
  return (
    <section class="panel" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <p class="muted">Keys are shown once, when created; only their first characters are listed.</p>
      <ApiKeyCreator onCreate={(name) => create(props.project, name)} />
      <Loadable data={keys} label="API keys" retry={() => revalidate(getApiKeys.key)}>
        {(list) => (
          <DataTable
            columns={['Name', 'Starts with', 'Created', 'Last used', 'State', 'Actions']}
            rows={list()}
            empty="No keys."
          >
            {(k) => (
              <tr>
                <td>{k.name}</td>
                <td>
                  <code>{k.key_prefix}…</code>
                </td>
                <td>{dateTime(k.created_at)}</td>
                <td>{dateTime(k.last_used_at)}</td>
                <td>{k.revoked_at ? `revoked ${dateTime(k.revoked_at)}` : 'active'}</td>
                <td class="row-actions">
                  <Show when={!k.revoked_at}>
                    <RowAction
                      label="Revoke"
                      name={`Revoke key ${k.name}`}
                      danger
                      onClick={() => setRevoking(k)}
                    />
                  </Show>
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
      <Show when={revoking()} keyed>
        {(key) => (
          <ConfirmDialog
            title={`Revoke key ${key.name}?`}
            confirmLabel="Revoke key"
            onClose={() => setRevoking(null)}
            onConfirm={() => revoke(key.project_id, key.id)}
          >
            <p>
              Every client using <code>{key.key_prefix}…</code> is refused from now on. This cannot be undone.
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}
