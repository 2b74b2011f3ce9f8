import { A, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { api, apiKeyStore, unwrap } from '../api/client';
import { listApiKeys, listEndpoints, listGuardrails } from '../api/management';
import { StatusBadge } from '../components/Badges';
import { Loadable } from '../components/Loadable';
import { dateTime, judgeLabel, pct, shortId } from '../lib/format';
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

export function SettingsPage() {
  const [search, setSearch] = useSearchParams<{ project?: string }>();
  const [health, { refetch: refetchHealth }] = createResource(fetchHealth);
  const [endpoints, { refetch: refetchEndpoints }] = createResource(() => search.project, listEndpoints);
  const [guardrails, { refetch: refetchGuardrails }] = createResource(() => search.project, listGuardrails);
  const [keys, { refetch: refetchKeys }] = createResource(() => search.project, listApiKeys);
  const [runs, { refetch: refetchRuns }] = createResource(
    () => search.project,
    (project) =>
      unwrap(
        api.GET('/api/eval/runs', {
          params: { query: { project_id: project, offset: 0, limit: WORKFLOW_RUNS } },
        }),
      ),
  );

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
        <section class="panel" aria-labelledby="endpoints-h">
          <h2 id="endpoints-h">Model endpoints</h2>
          <Loadable resource={endpoints} label="endpoints" retry={refetchEndpoints}>
            {(list) => (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Provider / model</th>
                    <th scope="col">URL</th>
                    <th scope="col">Key</th>
                    <th scope="col">Settings</th>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={list()}
                    fallback={
                      <tr>
                        <td colSpan={5} class="muted">
                          No endpoints.
                        </td>
                      </tr>
                    }
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
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            )}
          </Loadable>
        </section>
        <section class="panel" aria-labelledby="guardrails-h">
          <h2 id="guardrails-h">Guardrails</h2>
          <Loadable resource={guardrails} label="guardrails" retry={refetchGuardrails}>
            {(list) => (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Judge</th>
                    <th scope="col">Score threshold</th>
                    <th scope="col">Minimum pass rate</th>
                    <th scope="col">Blocking</th>
                    <th scope="col">Enabled</th>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={list()}
                    fallback={
                      <tr>
                        <td colSpan={5} class="muted">
                          No guardrails.
                        </td>
                      </tr>
                    }
                  >
                    {(g) => (
                      <tr>
                        <td>{judgeLabel(g.judge_type)}</td>
                        <td class="num">{g.threshold}</td>
                        <td class="num">
                          {typeof g.config.min_pass_rate === 'number'
                            ? pct(g.config.min_pass_rate)
                            : 'default'}
                        </td>
                        <td>{g.is_blocking ? 'blocks deploys' : 'warns'}</td>
                        <td>{g.enabled ? 'yes' : 'no'}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            )}
          </Loadable>
        </section>
        <section class="panel" aria-labelledby="keys-h">
          <h2 id="keys-h">API keys</h2>
          <p class="muted">Keys are shown once, when created; only their first characters are listed.</p>
          <Loadable resource={keys} label="API keys" retry={refetchKeys}>
            {(list) => (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Starts with</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={list()}
                    fallback={
                      <tr>
                        <td colSpan={5} class="muted">
                          No keys.
                        </td>
                      </tr>
                    }
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
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            )}
          </Loadable>
        </section>
        <section class="panel" aria-labelledby="workflows-h">
          <h2 id="workflows-h">Run workflows</h2>
          <Loadable resource={runs} label="runs" retry={refetchRuns}>
            {(page) => (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Status</th>
                    <th scope="col">Workflow</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={page().items}
                    fallback={
                      <tr>
                        <td colSpan={4} class="muted">
                          No runs.
                        </td>
                      </tr>
                    }
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
                  </For>
                </tbody>
              </table>
            )}
          </Loadable>
        </section>
      </Show>
    </>
  );
}
