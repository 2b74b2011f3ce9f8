import {
  A,
  createAsync,
  type RoutePreloadFuncArgs,
  revalidate,
  useNavigate,
  useParams,
} from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { RUN_STATUSES } from '../../../core/run-status';
import type { Run, RunListQuery, RunStatus } from '../api/client';
import { getProject, getRuns } from '../api/queries';
import { StatusBadge } from '../components/Badges';
import { DataTable } from '../components/DataTable';
import { NewRunDialog } from '../components/forms/NewRunDialog';
import { GateLine } from '../components/Gate';
import { Loadable } from '../components/Loadable';
import { Pagination } from '../components/Pagination';
import { RunIdentity } from '../components/RunIdentity';
import { latestOr } from '../lib/async';
import { dateTime, shortId, usd } from '../lib/format';

const FIRST_PAGE = { offset: 0, limit: 25 };

/** The runs list's query; the route's preload asks for the unfiltered first page the page opens with. */
const runsQuery = (
  projectId: string,
  filters: { status: RunStatus | ''; branch: string },
  page: { offset: number; limit: number },
): RunListQuery => ({
  project_id: projectId,
  ...page,
  status: filters.status || undefined,
  branch: filters.branch || undefined,
});

export const preloadProject = ({ params }: RoutePreloadFuncArgs) => {
  const id = params.id!; // the route's :id
  void getProject(id);
  void getRuns(runsQuery(id, { status: '', branch: '' }, FIRST_PAGE));
};

export function ProjectPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const project = createAsync(() => getProject(params.id));
  const [status, setStatus] = createSignal<RunStatus | ''>('');
  const [branch, setBranch] = createSignal('');
  const [page, setPage] = createSignal(FIRST_PAGE);
  const [selected, setSelected] = createSignal<string[]>([]);
  const [newRun, setNewRun] = createSignal(false);
  const runs = createAsync(() =>
    getRuns(runsQuery(params.id, { status: status(), branch: branch() }, page())),
  );
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => (on ? [...s.filter((x) => x !== id), id].slice(-2) : s.filter((x) => x !== id)));

  return (
    <>
      <p class="crumbs">
        <A href="/">Projects</A> /
      </p>
      <h1>{latestOr(project)?.name ?? 'Project'}</h1>
      <p class="toolbar">
        <button type="button" onClick={() => setNewRun(true)}>
          New run
        </button>
        <A class="button secondary" href={`/projects/${params.id}/trends`}>
          Trends
        </A>
        <A class="button secondary" href={`/datasets?project=${params.id}`}>
          Datasets
        </A>
        <A class="button secondary" href={`/settings?project=${params.id}`}>
          Settings
        </A>
      </p>
      <section class="panel">
        <div class="panel-head">
          <h2>Runs</h2>
          <button
            type="button"
            disabled={selected().length !== 2}
            onClick={() => navigate(`/compare?project=${params.id}&a=${selected()[0]}&b=${selected()[1]}`)}
          >
            Compare selected ({selected().length}/2)
          </button>
        </div>
        <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Run filters">
          <label>
            Status
            <select
              value={status()}
              onChange={(e) => {
                setStatus(e.currentTarget.value as RunStatus | '');
                setPage((p) => ({ ...p, offset: 0 }));
              }}
            >
              <option value="">any</option>
              <For each={RUN_STATUSES}>{(s) => <option value={s}>{s}</option>}</For>
            </select>
          </label>
          <label>
            Branch
            <input
              type="text"
              value={branch()}
              onChange={(e) => {
                setBranch(e.currentTarget.value.trim());
                setPage((p) => ({ ...p, offset: 0 }));
              }}
            />
          </label>
        </form>
        <Loadable data={runs} label="runs" retry={() => revalidate(getRuns.key)}>
          {(data) => (
            <>
              <div class="table-scroll">
                <DataTable
                  columns={[
                    <span class="sr-only">Select to compare</span>,
                    'Run',
                    'Status',
                    'Gate',
                    'Model · dataset',
                    'Branch / commit',
                    'Trigger',
                    'Samples',
                    'Cost',
                    'Created',
                  ]}
                  rows={data().items}
                  empty="No runs."
                >
                  {(run: Run) => (
                    <tr>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Select run ${shortId(run.id)} to compare`}
                          checked={selected().includes(run.id)}
                          onChange={(e) => toggle(run.id, e.currentTarget.checked)}
                        />
                      </td>
                      <td>
                        <A href={`/runs/${run.id}`}>{run.name ?? `Run ${shortId(run.id)}`}</A>
                        <Show when={run.labels?.length}>
                          <span class="muted"> {run.labels?.join(', ')}</span>
                        </Show>
                      </td>
                      <td>
                        <StatusBadge status={run.status} />
                      </td>
                      <td>
                        <GateLine gate={run.gate} />
                      </td>
                      <td>
                        <RunIdentity run={run} />
                      </td>
                      <td>
                        {run.git_branch ?? '–'}
                        <Show when={run.git_commit_sha}>
                          <span class="muted"> @ {run.git_commit_sha?.slice(0, 7)}</span>
                        </Show>
                        <Show when={run.pr_number}>
                          <span class="muted"> PR #{run.pr_number}</span>
                        </Show>
                      </td>
                      <td>{run.trigger_type ?? '–'}</td>
                      <td class="num">{run.total_samples}</td>
                      <td class="num">{usd(run.cost_usd + run.judge_cost_usd)}</td>
                      <td>{dateTime(run.created_at)}</td>
                    </tr>
                  )}
                </DataTable>
              </div>
              <Pagination
                offset={data().offset}
                limit={data().limit}
                total={data().total}
                onChange={setPage}
                label="Run pages"
              />
            </>
          )}
        </Loadable>
      </section>
      <Show when={newRun()}>
        <NewRunDialog project={params.id} onClose={() => setNewRun(false)} />
      </Show>
    </>
  );
}
