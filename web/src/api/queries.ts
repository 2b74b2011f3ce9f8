/**
 * Every read the dashboard makes, one `query()` each (solid-start's hackernews style): pages read them
 * with `createAsync`, routes warm them in `preload`, and writes (./actions) revalidate their keys. A
 * query caches by its arguments, so a page and its route's preload must pass the same ones.
 *
 * `revalidate(key)` matches keys by prefix: no query name is a prefix of another (queries.test.ts).
 */
import { query } from '@solidjs/router';
import {
  ApiRequestError,
  api,
  type CompareView,
  type Health,
  type ResultQuery,
  type RunListQuery,
  type SampleQuery,
  type TrendsQuery,
  unwrap,
} from './client';

/** The API's largest page: settings lists and pickers show everything up to it. */
const ALL = { offset: 0, limit: 500 };
/** Latest runs shown per project on the overview. */
export const OVERVIEW_RUNS = 5;

const fetchProjects = () => unwrap(api.GET('/api/projects', { params: { query: ALL } }));
const fetchRuns = (q: RunListQuery) => unwrap(api.GET('/api/eval/runs', { params: { query: q } }));

export const getProjects = query(fetchProjects, 'projects:list');

export const getProject = query(
  (id: string) => unwrap(api.GET('/api/projects/{id}', { params: { path: { id } } })),
  'projects:one',
);

/** Each project with its latest runs: the overview page in one load. */
export const getProjectsOverview = query(async () => {
  const projects = await fetchProjects();
  return Promise.all(
    projects.items.map(async (project) => {
      const runs = await fetchRuns({ project_id: project.id, offset: 0, limit: OVERVIEW_RUNS });
      return { project, runs: runs.items, totalRuns: runs.total };
    }),
  );
}, 'projects:overview');

export const getEndpoints = query(
  (projectId: string, includeArchived: boolean) =>
    unwrap(
      api.GET('/api/projects/{id}/endpoints', {
        params: {
          path: { id: projectId },
          query: { ...ALL, include_archived: includeArchived ? 'true' : 'false' },
        },
      }),
    ).then((p) => p.items),
  'endpoints:list',
);

/** The project's provider secrets: names, hints and how many endpoints use each; never a value. */
export const getSecrets = query(
  (projectId: string) =>
    unwrap(api.GET('/api/projects/{id}/secrets', { params: { path: { id: projectId }, query: ALL } })).then(
      (p) => p.items,
    ),
  'secrets:list',
);

export const getGuardrails = query(
  (projectId: string) =>
    unwrap(api.GET('/api/projects/{id}/guardrails', { params: { path: { id: projectId } } })),
  'guardrails:list',
);

/** The judge types a guardrail can use, each with the JSON Schema of its config (the same for every project). */
export const getJudges = query(() => unwrap(api.GET('/api/judges')), 'judges:list');

export const getApiKeys = query(
  (projectId: string) =>
    unwrap(api.GET('/api/projects/{id}/api-keys', { params: { path: { id: projectId } } })),
  'apiKeys:list',
);

export const getDatasets = query(
  (projectId: string) =>
    unwrap(api.GET('/api/projects/{id}/datasets', { params: { path: { id: projectId }, query: ALL } })).then(
      (p) => p.items,
    ),
  'datasets:list',
);

export const getDataset = query(
  (id: string) => unwrap(api.GET('/api/datasets/{id}', { params: { path: { id } } })),
  'datasets:one',
);

export const getDatasetVersions = query(
  (id: string) =>
    unwrap(api.GET('/api/datasets/{id}/versions', { params: { path: { id }, query: ALL } })).then(
      (p) => p.items,
    ),
  'datasets:versions',
);

export const getSamples = query(
  (id: string, q: SampleQuery) =>
    unwrap(api.GET('/api/datasets/{id}/samples', { params: { path: { id }, query: q } })),
  'datasets:samples',
);

export const getRuns = query(fetchRuns, 'runs:list');

export const getRun = query(
  (id: string) => unwrap(api.GET('/api/eval/runs/{id}', { params: { path: { id } } })),
  'runs:one',
);

export const getRunResults = query(
  (id: string, q: ResultQuery) =>
    unwrap(api.GET('/api/eval/runs/{id}/results', { params: { path: { id }, query: q } })),
  'runs:results',
);

/** Human reviews of a run (newest first), or of one of its results when `resultId` is given. */
export const getRunReviews = query(
  (id: string, resultId: string | null) =>
    unwrap(
      api.GET('/api/eval/runs/{id}/reviews', {
        params: { path: { id }, query: { ...(resultId ? { result_id: resultId } : {}), ...ALL } },
      }),
    ),
  'reviews:list',
);

/** Per judge, how often the human reviews agree with it (share and Cohen's kappa). */
export const getReviewSummary = query(
  (id: string) => unwrap(api.GET('/api/eval/runs/{id}/reviews/summary', { params: { path: { id } } })),
  'reviews:summary',
);

/** The whole run's latencies, binned by the database: not limited to a page of results. */
export const getLatencyHistogram = query(
  (id: string, bins: number) =>
    unwrap(api.GET('/api/eval/runs/{id}/latency-histogram', { params: { path: { id }, query: { bins } } })),
  'runs:latency',
);

/**
 * The regression comparison of two runs, or `{ comparison: null }` on servers without the route
 * (the page then compares the runs' own summaries). `view` (sort, judge, change) is applied by the
 * server over the whole pair, before paging.
 */
export const getComparison = query(
  async (baseline: string, candidate: string, offset: number, limit: number, view: CompareView = {}) => {
    try {
      const comparison = await unwrap(
        api.GET('/api/eval/compare', {
          params: { query: { run_ids: `${baseline},${candidate}`, offset, limit, ...view } },
        }),
      );
      return { comparison };
    } catch (err) {
      if (err instanceof ApiRequestError && err.routeMissing) return { comparison: null };
      throw err;
    }
  },
  'runs:compare',
);

export const getTrends = query(
  (projectId: string, q: TrendsQuery) =>
    unwrap(
      api.GET('/api/eval/trends/{project_id}', { params: { path: { project_id: projectId }, query: q } }),
    ),
  'trends:project',
);

/** /api/health answers 503 with the same body when a dependency is down: read it either way. */
export const getHealth = query(async (): Promise<Health | null> => {
  try {
    const res = await fetch('/api/health');
    return (await res.json()) as Health;
  } catch {
    return null;
  }
}, 'health');
