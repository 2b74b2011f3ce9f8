import { A, useParams, useSearchParams } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { api, unwrap } from '../api/client';
import { listDatasets, listEndpoints } from '../api/management';
import { Loadable } from '../components/Loadable';
import { TrendChart, type TrendMetric } from '../components/TrendChart';
import { dateTime, judgeLabel, pct, shortId } from '../lib/format';
import { projectName } from './ProjectPage';

/** Runs drawn per judge line. */
const TREND_RUNS = 50;

export function TrendsPage() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams<{
    dataset?: string;
    endpoint?: string;
    branch?: string;
    metric?: string;
  }>();
  const metric = (): TrendMetric => (search.metric === 'mean_score' ? 'mean_score' : 'pass_rate');
  const [name] = createResource(() => params.id, projectName);
  // Filter choices come from the management API; without it the filters fall back to free text.
  const [datasets] = createResource(
    () => params.id,
    (id) => listDatasets(id).catch(() => null),
  );
  const [endpoints] = createResource(
    () => params.id,
    (id) => listEndpoints(id).catch(() => null),
  );
  const [trends, { refetch }] = createResource(
    () => ({ id: params.id, dataset: search.dataset, endpoint: search.endpoint, branch: search.branch }),
    (q) =>
      unwrap(
        api.GET('/api/eval/trends/{project_id}', {
          params: {
            path: { project_id: q.id },
            query: {
              limit: TREND_RUNS,
              ...(q.dataset ? { dataset_id: q.dataset } : {}),
              ...(q.endpoint ? { endpoint_id: q.endpoint } : {}),
              ...(q.branch ? { branch: q.branch } : {}),
            },
          },
        }),
      ),
  );
  const regressions = () =>
    (trends.latest?.series ?? []).flatMap((s) =>
      s.points.filter((p) => p.regression).map((p) => ({ judge: s.judge_type, ...p })),
    );

  return (
    <>
      <p class="crumbs">
        <A href="/">Projects</A> / <A href={`/projects/${params.id}`}>{name.latest ?? 'Project'}</A> /
      </p>
      <h1>Score trends</h1>
      <form class="filters" aria-label="Trend filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Metric
          <select value={metric()} onChange={(e) => setSearch({ metric: e.currentTarget.value })}>
            <option value="pass_rate">pass rate</option>
            <option value="mean_score">mean score</option>
          </select>
        </label>
        <Show
          when={datasets()}
          fallback={
            <label>
              Dataset id
              <input
                type="text"
                value={search.dataset ?? ''}
                onChange={(e) => setSearch({ dataset: e.currentTarget.value.trim() || undefined })}
              />
            </label>
          }
        >
          {(list) => (
            <label>
              Dataset
              <select
                value={search.dataset ?? ''}
                onChange={(e) => setSearch({ dataset: e.currentTarget.value || undefined })}
              >
                <option value="">all</option>
                <For each={list()}>{(d) => <option value={d.id}>{d.name}</option>}</For>
              </select>
            </label>
          )}
        </Show>
        <Show
          when={endpoints()}
          fallback={
            <label>
              Endpoint id
              <input
                type="text"
                value={search.endpoint ?? ''}
                onChange={(e) => setSearch({ endpoint: e.currentTarget.value.trim() || undefined })}
              />
            </label>
          }
        >
          {(list) => (
            <label>
              Endpoint
              <select
                value={search.endpoint ?? ''}
                onChange={(e) => setSearch({ endpoint: e.currentTarget.value || undefined })}
              >
                <option value="">all</option>
                <For each={list()}>{(ep) => <option value={ep.id}>{ep.name ?? ep.model_name}</option>}</For>
              </select>
            </label>
          )}
        </Show>
        <label>
          Branch
          <input
            type="text"
            value={search.branch ?? ''}
            onChange={(e) => setSearch({ branch: e.currentTarget.value.trim() || undefined })}
          />
        </label>
      </form>
      <Loadable resource={trends} label="trends" retry={refetch}>
        {(data) => (
          <>
            <section class="panel" aria-label="Trend chart">
              <TrendChart trends={data()} metric={metric()} />
            </section>
            <section class="panel" aria-labelledby="reg-h">
              <h2 id="reg-h">Regressions</h2>
              <Show
                when={regressions().length}
                fallback={<p class="muted">No run in this range regressed.</p>}
              >
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Run</th>
                      <th scope="col">Judge</th>
                      <th scope="col">Pass rate</th>
                      <th scope="col">Mean score</th>
                      <th scope="col">Branch</th>
                      <th scope="col">Date</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={regressions()}>
                      {(p) => (
                        <tr>
                          <td>
                            <A href={`/runs/${p.run_id}`}>Run {shortId(p.run_id)}</A>
                          </td>
                          <td>{judgeLabel(p.judge)}</td>
                          <td class="num">{pct(p.pass_rate, 1)}</td>
                          <td class="num">{pct(p.mean_score, 1)}</td>
                          <td>{p.git_branch ?? '–'}</td>
                          <td>{dateTime(p.created_at)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </section>
          </>
        )}
      </Loadable>
    </>
  );
}
