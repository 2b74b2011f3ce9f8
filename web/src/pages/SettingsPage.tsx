import { A, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { api, apiKeyStore, unwrap } from '../api/client';
import {
  type ApiKeyInfo,
  createApiKey,
  createEndpoint,
  deleteEndpoint,
  deleteGuardrail,
  type Endpoint,
  type Guardrail,
  listApiKeys,
  listEndpoints,
  listGuardrails,
  revokeApiKey,
  updateEndpoint,
  updateGuardrail,
  upsertGuardrail,
} from '../api/management';
import { StatusBadge } from '../components/Badges';
import { DataTable } from '../components/DataTable';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { Loadable } from '../components/Loadable';
import { ApiKeyCreator } from '../components/settings/ApiKeyCreator';
import { EndpointForm } from '../components/settings/EndpointForm';
import { configWith, GuardrailForm } from '../components/settings/GuardrailForm';
import { dateTime, judgeLabel, pct, shortId } from '../lib/format';
import { createSubmitter } from '../lib/submit';
import { fetchHealth, temporalWorkflowUrl } from '../lib/temporal';
import { ProjectPicker } from './DatasetsPage';

/** Config keys never shown, whatever the server sends (it should never send them). */
const SECRET_KEY = /key|secret|password|token|authorization|credential/i;
/** Runs listed with their Temporal workflow links. */
const WORKFLOW_RUNS = 20;

export const visibleConfig = (config: Record<string, unknown>) =>
  Object.entries(config)
    .filter(([k]) => !SECRET_KEY.test(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');

function BrowserKey() {
  const [stored, setStored] = createSignal(apiKeyStore.get() !== '');
  let input!: HTMLInputElement;
  return (
    <form
      class="filters"
      aria-label="API key for this browser"
      onSubmit={(e) => {
        e.preventDefault();
        apiKeyStore.set(input.value.trim());
        input.value = '';
        setStored(apiKeyStore.get() !== '');
      }}
    >
      <label>
        API key
        <input ref={input} type="password" autocomplete="off" placeholder="ef_…" />
      </label>
      <button type="submit">Save in this browser</button>
      <button
        type="button"
        class="secondary"
        disabled={!stored()}
        onClick={() => {
          apiKeyStore.set('');
          setStored(false);
        }}
      >
        Forget key
      </button>
      <span class="muted" role="status">
        {stored() ? 'A key is stored in this browser (not shown).' : 'No key stored: fine in dev mode.'}
      </span>
    </form>
  );
}

/** A small button in a table row; `name` says which row it acts on (several rows have one). */
function RowAction(props: {
  label: string;
  name: string;
  danger?: boolean;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      class={props.danger ? 'danger' : 'secondary'}
      aria-label={props.name}
      disabled={props.disabled}
      onClick={() => props.onClick()}
    >
      {props.label}
    </button>
  );
}

type Modal =
  | { kind: 'edit-endpoint'; endpoint: Endpoint }
  | { kind: 'delete-endpoint'; endpoint: Endpoint }
  | { kind: 'edit-guardrail'; guardrail: Guardrail }
  | { kind: 'delete-guardrail'; guardrail: Guardrail }
  | { kind: 'revoke-key'; key: ApiKeyInfo };

const endpointLabel = (e: Endpoint) => e.name ?? `${e.provider}/${e.model_name}`;

function ModelEndpoints(props: { project: string; openModal: (m: Modal) => void; version: number }) {
  const [showArchived, setShowArchived] = createSignal(false);
  const [endpoints, { refetch }] = createResource(
    () => ({ project: props.project, archived: showArchived(), v: props.version }),
    ({ project, archived }) => listEndpoints(project, archived),
  );
  const rowAction = createSubmitter();
  const setArchived = (e: Endpoint, archived: boolean) =>
    rowAction.run(async () => {
      await updateEndpoint(e.id, { archived });
      await refetch();
    });
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
      <Loadable resource={endpoints} label="endpoints" retry={refetch}>
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
                <td>{e.api_key_env ? `from $${e.api_key_env}` : 'none'}</td>
                <td class="muted">{visibleConfig(e.config) || '–'}</td>
                <td class="row-actions">
                  <RowAction
                    label="Edit"
                    name={`Edit endpoint ${endpointLabel(e)}`}
                    onClick={() => props.openModal({ kind: 'edit-endpoint', endpoint: e })}
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
                    onClick={() => props.openModal({ kind: 'delete-endpoint', endpoint: e })}
                  />
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
      <h3>Add an endpoint</h3>
      <EndpointForm
        submitLabel="Add endpoint"
        onSubmit={async (fields) => {
          await createEndpoint(props.project, { ...fields, config: {} });
          await refetch();
        }}
      />
    </section>
  );
}

function Guardrails(props: { project: string; openModal: (m: Modal) => void; version: number }) {
  const [guardrails, { refetch }] = createResource(
    () => ({ project: props.project, v: props.version }),
    ({ project }) => listGuardrails(project),
  );
  return (
    <section class="panel" aria-labelledby="guardrails-h">
      <h2 id="guardrails-h">Guardrails</h2>
      <Loadable resource={guardrails} label="guardrails" retry={refetch}>
        {(list) => (
          <DataTable
            columns={['Judge', 'Score threshold', 'Minimum pass rate', 'Blocking', 'Enabled', 'Actions']}
            rows={list()}
            empty="No guardrails."
          >
            {(g) => (
              <tr>
                <td>{judgeLabel(g.judge_type)}</td>
                <td class="num">{g.threshold}</td>
                <td class="num">
                  {typeof g.config.min_pass_rate === 'number' ? pct(g.config.min_pass_rate) : 'default'}
                </td>
                <td>{g.is_blocking ? 'blocks deploys' : 'warns'}</td>
                <td>{g.enabled ? 'yes' : 'no'}</td>
                <td class="row-actions">
                  <RowAction
                    label="Edit"
                    name={`Edit guardrail ${g.judge_type}`}
                    onClick={() => props.openModal({ kind: 'edit-guardrail', guardrail: g })}
                  />
                  <RowAction
                    label="Delete"
                    name={`Delete guardrail ${g.judge_type}`}
                    danger
                    onClick={() => props.openModal({ kind: 'delete-guardrail', guardrail: g })}
                  />
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
      <h3>Add a guardrail</h3>
      <GuardrailForm
        existing={guardrails.latest?.map((g) => g.judge_type)}
        submitLabel="Add guardrail"
        onSubmit={async (f) => {
          await upsertGuardrail(props.project, {
            judge_type: f.judge_type,
            threshold: f.threshold,
            is_blocking: f.is_blocking,
            enabled: f.enabled,
            config: configWith({}, f.min_pass_rate),
          });
          await refetch();
        }}
      />
    </section>
  );
}

function ApiKeys(props: { project: string; openModal: (m: Modal) => void; version: number }) {
  const [keys, { refetch }] = createResource(
    () => ({ project: props.project, v: props.version }),
    ({ project }) => listApiKeys(project),
  );
  return (
    <section class="panel" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <p class="muted">Keys are shown once, when created; only their first characters are listed.</p>
      <ApiKeyCreator
        onCreate={async (name) => {
          const created = await createApiKey(props.project, name);
          void refetch();
          return created;
        }}
      />
      <Loadable resource={keys} label="API keys" retry={refetch}>
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
                      onClick={() => props.openModal({ kind: 'revoke-key', key: k })}
                    />
                  </Show>
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </Loadable>
    </section>
  );
}

/** Edit forms and confirmations, one at a time, in a focus-trapping dialog. */
function SettingsModal(props: { modal: Modal; close: () => void; changed: () => void }) {
  const done = () => {
    props.changed();
    props.close();
  };
  return (
    <Switch>
      <Match when={props.modal.kind === 'edit-endpoint' && props.modal}>
        {(m) => (
          <Dialog title={`Edit endpoint ${endpointLabel(m().endpoint)}`} onClose={props.close}>
            <EndpointForm
              initial={m().endpoint}
              submitLabel="Save endpoint"
              onCancel={props.close}
              onSubmit={async (fields) => {
                await updateEndpoint(m().endpoint.id, fields);
                done();
              }}
            />
          </Dialog>
        )}
      </Match>
      <Match when={props.modal.kind === 'delete-endpoint' && props.modal}>
        {(m) => (
          <ConfirmDialog
            title={`Delete endpoint ${endpointLabel(m().endpoint)}?`}
            confirmLabel="Delete endpoint"
            onClose={props.close}
            onConfirm={async () => {
              await deleteEndpoint(m().endpoint.id);
              props.changed();
            }}
          >
            <p>
              Only an endpoint no run has used can be deleted; one with runs is kept for their history, so
              archive it instead.
            </p>
          </ConfirmDialog>
        )}
      </Match>
      <Match when={props.modal.kind === 'edit-guardrail' && props.modal}>
        {(m) => (
          <Dialog title={`Edit guardrail ${judgeLabel(m().guardrail.judge_type)}`} onClose={props.close}>
            <GuardrailForm
              initial={m().guardrail}
              submitLabel="Save guardrail"
              onCancel={props.close}
              onSubmit={async (f) => {
                await updateGuardrail(m().guardrail.id, {
                  threshold: f.threshold,
                  is_blocking: f.is_blocking,
                  enabled: f.enabled,
                  config: configWith(m().guardrail.config, f.min_pass_rate),
                });
                done();
              }}
            />
          </Dialog>
        )}
      </Match>
      <Match when={props.modal.kind === 'delete-guardrail' && props.modal}>
        {(m) => (
          <ConfirmDialog
            title={`Delete guardrail ${judgeLabel(m().guardrail.judge_type)}?`}
            confirmLabel="Delete guardrail"
            onClose={props.close}
            onConfirm={async () => {
              await deleteGuardrail(m().guardrail.id);
              props.changed();
            }}
          >
            <p>New runs stop checking it; finished runs keep the verdicts they recorded.</p>
          </ConfirmDialog>
        )}
      </Match>
      <Match when={props.modal.kind === 'revoke-key' && props.modal}>
        {(m) => (
          <ConfirmDialog
            title={`Revoke key ${m().key.name}?`}
            confirmLabel="Revoke key"
            onClose={props.close}
            onConfirm={async () => {
              await revokeApiKey(m().key.project_id, m().key.id);
              props.changed();
            }}
          >
            <p>
              Every client using <code>{m().key.key_prefix}…</code> is refused from now on. This cannot be
              undone.
            </p>
          </ConfirmDialog>
        )}
      </Match>
    </Switch>
  );
}

export function SettingsPage() {
  const [search, setSearch] = useSearchParams<{ project?: string }>();
  const [health, { refetch: refetchHealth }] = createResource(fetchHealth);
  const [runs, { refetch: refetchRuns }] = createResource(
    () => search.project,
    (project) =>
      unwrap(
        api.GET('/api/eval/runs', {
          params: { query: { project_id: project, offset: 0, limit: WORKFLOW_RUNS } },
        }),
      ),
  );
  const [modal, setModal] = createSignal<Modal | null>(null);
  // Bumped after a dialog changed something: the lists reload.
  const [version, setVersion] = createSignal(0);
  const changed = () => setVersion((v) => v + 1);

  return (
    <>
      <h1>Settings</h1>
      <section class="panel" aria-labelledby="server-h">
        <h2 id="server-h">Server</h2>
        <Loadable resource={health} label="server health" retry={refetchHealth}>
          {(h) => (
            <dl class="facts">
              <dt>Status</dt>
              <dd>
                <span class={`badge badge-${h().status === 'ok' ? 'pass' : 'fail'}`}>{h().status}</span> v
                {h().version} · {h().mode} mode
              </dd>
              <dt>Database</dt>
              <dd>
                {h().database.status} {h().database.version ?? ''} {h().database.error ?? ''}
              </dd>
              <dt>Temporal</dt>
              <dd>
                {h().temporal.status} · namespace {h().temporal.namespace}{' '}
                <Show when={h().temporal.ui_url}>
                  {(url) => (
                    <a href={url()} target="_blank" rel="noopener noreferrer">
                      Temporal UI ↗
                    </a>
                  )}
                </Show>
              </dd>
              <dt>Workers</dt>
              <dd>
                {Object.entries(h().workers)
                  .map(([queue, w]) => `${queue}: ${w.pollers} pollers`)
                  .join(' · ') || 'none'}
              </dd>
            </dl>
          )}
        </Loadable>
        <BrowserKey />
      </section>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <ProjectPicker
          value={search.project}
          onChange={(project) => setSearch({ project: project || undefined })}
        />
      </form>
      <Show
        when={search.project}
        fallback={<p class="empty">Choose a project for its endpoints, guardrails and keys.</p>}
      >
        {(project) => (
          <>
            <ModelEndpoints project={project()} openModal={setModal} version={version()} />
            <Guardrails project={project()} openModal={setModal} version={version()} />
            <ApiKeys project={project()} openModal={setModal} version={version()} />
            <section class="panel" aria-labelledby="workflows-h">
              <h2 id="workflows-h">Run workflows</h2>
              <Loadable resource={runs} label="runs" retry={refetchRuns}>
                {(page) => (
                  <DataTable
                    columns={['Run', 'Status', 'Workflow', 'Created']}
                    rows={page().items}
                    empty="No runs."
                  >
                    {(r) => (
                      <tr>
                        <td>
                          <A href={`/runs/${r.id}`}>Run {shortId(r.id)}</A>
                        </td>
                        <td>
                          <StatusBadge status={r.status} />
                        </td>
                        <td>
                          <Show
                            when={temporalWorkflowUrl(health(), r.workflow_id)}
                            fallback={<code>{r.workflow_id ?? '–'}</code>}
                          >
                            {(url) => (
                              <a href={url()} target="_blank" rel="noopener noreferrer">
                                {r.workflow_id} ↗
                              </a>
                            )}
                          </Show>
                        </td>
                        <td>{dateTime(r.created_at)}</td>
                      </tr>
                    )}
                  </DataTable>
                )}
              </Loadable>
            </section>
          </>
        )}
      </Show>
      <Show when={modal()}>
        {(m) => <SettingsModal modal={m()} close={() => setModal(null)} changed={changed} />}
      </Show>
    </>
  );
}
