/**
 * `evalforge projects list`, `datasets list`, `endpoints list` and `runs list`: aligned tables for people
 * (short ids, full ones with --wide), the API's items as JSON with --json.
 */
import { RUN_STATUSES } from '../../core/run-status.js';
import { type CliContext, print, printJson } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { oneOf, positiveInt, usageError } from '../flags.js';
import {
  type DatasetJson,
  type EndpointJson,
  endpointLabel,
  listAll,
  MAX_PAGE,
  type ProjectJson,
  resolveProject,
  shortId,
} from '../resolve.js';
import { renderTable } from '../text-table.js';
import type { RunJson } from '../wait.js';

export interface ListFlags {
  project?: string;
  wide?: boolean;
  status?: string;
  branch?: string;
  limit?: string;
  archived?: boolean;
}

export const DEFAULT_RUNS_LIMIT = 20;
/** Lists of projects, datasets and endpoints read at most this many. */
const MAX_LISTED = 5_000;

/** "2026-12-03 16:21" (UTC), or "-". */
export const formatTime = (iso: unknown) =>
  typeof iso === 'string' && iso.length >= 16 ? iso.slice(0, 16).replace('T', ' ') : '-';

const idCell = (id: string, f: ListFlags) => (f.wide ? id : shortId(id));

function printTable(ctx: CliContext, header: string[], rows: string[][], empty: string, more = '') {
  if (rows.length === 0) print(ctx, empty);
  else print(ctx, `${renderTable(header, rows)}${more}`);
}

const moreNote = (shown: number, total: number) => (total > shown ? `\n(${shown} of ${total} shown)` : '');

export async function projectsList(ctx: CliContext, f: ListFlags): Promise<number> {
  const { items, total } = await listAll<ProjectJson>(ctx, '/api/projects', {}, MAX_LISTED);
  if (ctx.json) return json(ctx, items, total);
  printTable(
    ctx,
    ['ID', 'NAME', 'DESCRIPTION', 'CREATED'],
    items.map((p) => [
      idCell(p.id, f),
      p.name,
      oneLine(p.description ?? '', f.wide ? 200 : 50),
      formatTime(p.created_at),
    ]),
    'no projects',
    moreNote(items.length, total),
  );
  return EXIT.OK;
}

async function projectsFor(ctx: CliContext, f: ListFlags): Promise<ProjectJson[]> {
  if (f.project) {
    const id = await resolveProject(ctx, f.project);
    return [await ctx.api.get<ProjectJson>(`/api/projects/${encodeURIComponent(id)}`)];
  }
  return (await listAll<ProjectJson>(ctx, '/api/projects', {}, MAX_LISTED)).items;
}

export async function datasetsList(ctx: CliContext, f: ListFlags): Promise<number> {
  const projects = await projectsFor(ctx, f);
  const rows: { project: ProjectJson; dataset: DatasetJson }[] = [];
  for (const project of projects) {
    const { items } = await listAll<DatasetJson>(
      ctx,
      `/api/projects/${encodeURIComponent(project.id)}/datasets`,
      { include_archived: f.archived ? 'true' : undefined },
      MAX_LISTED,
    );
    for (const dataset of items) rows.push({ project, dataset });
  }
  if (ctx.json)
    return json(
      ctx,
      rows.map((r) => r.dataset),
      rows.length,
    );
  const withProject = !f.project;
  printTable(
    ctx,
    ['ID', 'NAME', ...(withProject ? ['PROJECT'] : []), 'VERSION', 'SAMPLES', 'CREATED'],
    rows.map(({ project, dataset: d }) => [
      idCell(d.id, f),
      `${d.name}${d.archived_at ? ' (archived)' : ''}`,
      ...(withProject ? [project.name] : []),
      `v${d.version}`,
      String(d.sample_count),
      formatTime(d.created_at),
    ]),
    'no datasets',
  );
  return EXIT.OK;
}

export async function endpointsList(ctx: CliContext, f: ListFlags): Promise<number> {
  if (!f.project) throw usageError('usage: evalforge endpoints list --project <name|id>');
  const projectId = await resolveProject(ctx, f.project);
  const { items } = await listAll<EndpointJson>(
    ctx,
    `/api/projects/${encodeURIComponent(projectId)}/endpoints`,
    { include_archived: f.archived ? 'true' : undefined },
    MAX_LISTED,
  );
  if (ctx.json) return json(ctx, items, items.length);
  printTable(
    ctx,
    ['ID', 'NAME', 'PROVIDER', 'MODEL', ...(f.wide ? ['URL'] : []), 'CREATED'],
    items.map((e) => [
      idCell(e.id, f),
      `${e.name ?? '-'}${e.archived_at ? ' (archived)' : ''}`,
      e.provider,
      e.model_name,
      ...(f.wide ? [e.endpoint_url ?? '-'] : []),
      formatTime(e.created_at),
    ]),
    'no endpoints in the project',
  );
  return EXIT.OK;
}

interface RunRow extends RunJson {
  project_id: string;
  dataset_id: string;
  dataset_version_id: string;
  endpoint_id: string;
  created_at: string;
  pr_number: number | null;
  gate?: { state?: string; regressions?: string[] };
}

export async function runsList(ctx: CliContext, f: ListFlags): Promise<number> {
  const status = oneOf(f.status, RUN_STATUSES, 'status');
  const limit = positiveInt(f.limit, 'limit') ?? DEFAULT_RUNS_LIMIT;
  const projectId = f.project ? await resolveProject(ctx, f.project) : undefined;
  const { items, total } = await listAll<RunRow>(
    ctx,
    '/api/eval/runs',
    { project_id: projectId, status, branch: f.branch },
    limit,
  );
  if (ctx.json) return json(ctx, items, total);
  const names = await runLabels(ctx, items);
  printTable(
    ctx,
    ['ID', 'STATUS', 'VERDICT', 'ENDPOINT', 'DATASET', 'BRANCH', 'COMMIT', 'CREATED'],
    items.map((r) => [
      idCell(r.id, f),
      r.status,
      verdict(r),
      names.endpoint(r.endpoint_id, f),
      names.dataset(r.dataset_id, r.dataset_version_id, f),
      `${r.git_branch ?? '-'}${r.pr_number ? ` (#${r.pr_number})` : ''}`,
      r.git_commit_sha ? r.git_commit_sha.slice(0, 7) : '-',
      formatTime(r.created_at),
    ]),
    'no runs',
    moreNote(items.length, total),
  );
  return EXIT.OK;
}

/** pass / fail / error from the run's gate, with the judges that regressed; "-" until it is decided. */
function verdict(r: RunRow): string {
  const state = r.gate?.state ?? (r.summary?.verdict as string | undefined);
  if (!state || state === 'pending') return '-';
  const regressed = r.gate?.regressions ?? [];
  return regressed.length ? `${state}, regressed: ${regressed.join(', ')}` : state;
}

/** Names of the runs' endpoints and datasets (with the version number), each looked up once. */
async function runLabels(ctx: CliContext, runs: readonly RunRow[]) {
  const endpointIds = [...new Set(runs.map((r) => r.endpoint_id))];
  const datasetIds = [...new Set(runs.map((r) => r.dataset_id))];
  const endpoints = new Map<string, EndpointJson>();
  const datasets = new Map<string, { name: string; versions: Map<string, number> }>();
  // A lookup that fails (an archived or foreign record) leaves the id in the table.
  await Promise.all([
    ...endpointIds.map(async (id) => {
      const e = await ctx.api.get<EndpointJson>(`/api/endpoints/${id}`).catch(() => undefined);
      if (e) endpoints.set(id, e);
    }),
    ...datasetIds.map(async (id) => {
      const [d, versions] = await Promise.all([
        ctx.api.get<DatasetJson>(`/api/datasets/${id}`).catch(() => undefined),
        ctx.api
          .get<{ items: { id: string; version: number }[] }>(`/api/datasets/${id}/versions`, {
            query: { limit: MAX_PAGE },
          })
          .then((p) => p.items)
          .catch(() => []),
      ]);
      if (d) datasets.set(id, { name: d.name, versions: new Map(versions.map((v) => [v.id, v.version])) });
    }),
  ]);
  return {
    endpoint: (id: string, f: ListFlags) => {
      const e = endpoints.get(id);
      return e ? `${endpointLabel(e)}${e.name ? ` (${e.model_name})` : ''}` : idCell(id, f);
    },
    dataset: (id: string, versionId: string, f: ListFlags) => {
      const d = datasets.get(id);
      if (!d) return idCell(id, f);
      const version = d.versions.get(versionId);
      return `${d.name} ${version === undefined ? '' : `v${version}`}`.trimEnd();
    },
  };
}

function oneLine(text: string, max: number) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat || '-';
}

/** The API's page shape: the items, and how many there are in all. */
function json(ctx: CliContext, items: unknown[], total: number) {
  printJson(ctx, { items, total });
  return EXIT.OK;
}
