import {
  A,
  createAsync,
  type RoutePreloadFuncArgs,
  revalidate,
  useParams,
  useSearchParams,
} from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { TrendsQuery } from '../api/client';
import { getDatasets, getEndpoints, getProject, getTrends } from '../api/queries';
import { Loadable } from '../components/Loadable';
import { TrendChart, type TrendMetric } from '../components/TrendChart';
import { latestOr } from '../lib/async';
import { dateTime, judgeLabel, pct, shortId } from '../lib/format';
import { usePageTitle } from '../lib/title';

/** Runs drawn per judge line. */
const TREND_RUNS = 50;

type TrendsSearch = { dataset?: string; endpoint?: string; branch?: string; metric?: string };

const trendsQuery = (search: TrendsSearch): TrendsQuery => ({
  limit: TREND_RUNS,
  dataset_id: search.dataset || undefined,
  endpoint_id: search.endpoint || undefined,
  branch: search.branch || undefined,
});

export const preloadTrends = ({ params, location }: RoutePreloadFuncArgs) => {
  const id = params.id!; // the route's :id
  void getProject(id);
  void getDatasets(id);
  void getEndpoints(id, false);
  void getTrends(id, trendsQuery(location.query as TrendsSearch));
};

export function TrendsPage() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams<TrendsSearch>();
  const metric = (): TrendMetric => (search.metric === 'mean_score' ? 'mean_score' : 'pass_rate');
  const project = createAsync(() => getProject(params.id));
  usePageTitle(() => {
    const name = latestOr(project)?.name;
    return name ? `Score trends: ${name}` : 'Score trends';
  });
  // Filter choices come from the management API; without it the filters fall back to free text.
  const datasets = createAsync(() => getDatasets(params.id).catch(() => null));
  const endpoints = createAsync(() => getEndpoints(params.id, false).catch(() => null));
  const trends = createAsync(() =>
    getTrends(
      params.id,
      trendsQuery({ dataset: search.dataset, endpoint: search.endpoint, branch: search.branch }),
    ),
  );
  const regressions = () =>
    (latestOr(trends)?.series ?? []).flatMap((s) =>
      s.points.filter((p) => p.regression).map((p) => ({ judge: s.judge_type, ...p })),
    );

  return (
    <>
      <p class="crumbs">
        <A href="/">Projects</A> /{' '}
        <A href={`/projects/${params.id}`}>{latestOr(project)?.name ?? 'Project'}</A> /
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
      <Loadable data={trends} label="trends" retry={() => revalidate(getTrends.key)}>
        {(data) => (
          <>
            <section class="panel" aria-labelledby="trend-h">
              <h2 id="trend-h">
                {metric() === 'pass_rate' ? 'Pass rate' : 'Mean score'} per judge over runs
              </h2>
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
