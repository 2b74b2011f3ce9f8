/**
 * Names or ids wherever the CLI takes an id: a value that is not a UUID is looked up through the API's list
 * routes — a project by name, a dataset or endpoint by name within its project, a run by the start of its
 * id (as `runs list` shows it) or by branch (its latest run). An unknown or ambiguous name is a usage error
 * that lists the candidates.
 */
import type { CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import type { RunJson } from './wait.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);
/** The id prefix `runs list` and the other lists show (a full id with --wide). */
export const SHORT_ID_LENGTH = 8;
export const shortId = (id: string) => id.slice(0, SHORT_ID_LENGTH);
/** An id prefix must be at least this long to be taken as one. */
const MIN_ID_PREFIX = 4;
/** The API's largest page. */
export const MAX_PAGE = 500;
/** Items a name lookup reads at most (a lookup past this many is cut short, and says so when it fails). */
const MAX_LOOKUP = 5_000;
const MAX_CANDIDATES_SHOWN = 15;

interface Page<T> {
  items: T[];
  total: number;
}

export interface ProjectJson {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
}
export interface DatasetJson {
  id: string;
  project_id: string;
  name: string;
  version: number;
  sample_count: number;
  archived_at: string | null;
  created_at: string;
}
export interface EndpointJson {
  id: string;
  project_id: string;
  name: string | null;
  provider: string;
  model_name: string;
  endpoint_url: string | null;
  archived_at: string | null;
  created_at: string;
}

/** Every item of a list route (pages of 500), up to `max`. */
export async function listAll<T>(
  ctx: CliContext,
  path: string,
  query: Record<string, string | number | undefined> = {},
  max = MAX_LOOKUP,
): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  let total = 0;
  for (let offset = 0; offset < max; offset += MAX_PAGE) {
    const limit = Math.min(MAX_PAGE, max - offset);
    const page = await ctx.api.get<Page<T>>(path, { query: { ...query, offset, limit } });
    items.push(...page.items);
    total = page.total;
    if (page.items.length < limit || items.length >= total) break;
  }
  return { items, total };
}

const usage = (message: string) => new CliError(message, EXIT.USAGE);

function candidatesText<T>(items: readonly T[], describe: (item: T) => string): string {
  const shown = items.slice(0, MAX_CANDIDATES_SHOWN).map((i) => `  ${describe(i)}`);
  if (items.length > shown.length) shown.push(`  … and ${items.length - shown.length} more`);
  return shown.join('\n');
}

/**
 * Picks the one item `value` names: its id, its exact name, the start of its id, or its name ignoring case,
 * in that order of preference. None or several: a usage error listing the candidates.
 */
export function pickByName<T extends { id: string }>(
  value: string,
  items: readonly T[],
  opts: {
    what: string;
    flag: string;
    names: (item: T) => (string | null)[];
    describe: (item: T) => string;
    where?: string;
  },
): T {
  const tiers: ((item: T) => boolean)[] = [
    (i) => i.id.toLowerCase() === value.toLowerCase(),
    (i) => opts.names(i).some((n) => n === value),
    (i) =>
      value.length >= MIN_ID_PREFIX && /^[0-9a-f-]+$/i.test(value) && i.id.startsWith(value.toLowerCase()),
    (i) => opts.names(i).some((n) => n?.toLowerCase() === value.toLowerCase()),
  ];
  for (const tier of tiers) {
    const found = items.filter(tier);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      throw usage(
        `${opts.flag} "${value}" is ambiguous: ${found.length} ${opts.what}s${opts.where ?? ''} match; ` +
          `give the id:\n${candidatesText(found, opts.describe)}`,
      );
    }
  }
  const known = items.length
    ? `; the ${opts.what}s${opts.where ?? ''} are:\n${candidatesText(items, opts.describe)}`
    : `; there are no ${opts.what}s${opts.where ?? ''}`;
  throw usage(`${opts.flag}: no ${opts.what} named "${value}"${known}`);
}

const projectLine = (p: ProjectJson) => `${p.id}  ${p.name}`;
const datasetLine = (d: DatasetJson) => `${d.id}  ${d.name} (version ${d.version})`;
export const endpointLabel = (e: EndpointJson) => e.name ?? e.model_name;
const endpointLine = (e: EndpointJson) => `${e.id}  ${e.name ?? '(no name)'} (${e.provider} ${e.model_name})`;

export async function resolveProject(ctx: CliContext, value: string, flag = '--project'): Promise<string> {
  if (isUuid(value)) return value;
  const { items } = await listAll<ProjectJson>(ctx, '/api/projects');
  return pickByName(value, items, {
    what: 'project',
    flag,
    names: (p) => [p.name],
    describe: projectLine,
  }).id;
}

/** A dataset of the project by id or name (a name needs the project). */
export async function resolveDataset(
  ctx: CliContext,
  value: string,
  projectId: string | undefined,
  flag = '--dataset',
): Promise<string> {
  if (isUuid(value)) return value;
  if (!projectId) throw usage(`${flag} "${value}" is a name: give --project too (or the dataset's id)`);
  const { items } = await listAll<DatasetJson>(
    ctx,
    `/api/projects/${encodeURIComponent(projectId)}/datasets`,
  );
  return pickByName(value, items, {
    what: 'dataset',
    flag,
    names: (d) => [d.name],
    describe: datasetLine,
    where: ' of the project',
  }).id;
}

/** An endpoint of the project by id or name (or, when no name matches, its model name). */
export async function resolveEndpoint(
  ctx: CliContext,
  value: string,
  projectId: string | undefined,
  flag = '--endpoint',
): Promise<string> {
  if (isUuid(value)) return value;
  if (!projectId) throw usage(`${flag} "${value}" is a name: give --project too (or the endpoint's id)`);
  const { items } = await listAll<EndpointJson>(
    ctx,
    `/api/projects/${encodeURIComponent(projectId)}/endpoints`,
  );
  const byName = items.filter((e) => e.name === value || e.name?.toLowerCase() === value.toLowerCase());
  const byModel = items.filter((e) => e.model_name === value);
  return pickByName(value, items, {
    what: 'endpoint',
    flag,
    // A model name counts only when no endpoint is named so.
    names: (e) => (byName.length === 0 && byModel.length > 0 ? [e.model_name] : [e.name]),
    describe: endpointLine,
    where: ' of the project',
  }).id;
}

/** Runs a lookup reads when matching an id prefix (newest first). */
const RUN_LOOKUP = 2_000;

/**
 * A run by id, by the start of its id (as `runs list` shows it), or by branch (that branch's latest run),
 * within the project when one is given.
 */
export async function resolveRun(
  ctx: CliContext,
  value: string,
  opts: { projectId?: string; flag?: string } = {},
): Promise<string> {
  if (isUuid(value)) return value;
  const flag = opts.flag ?? 'run';
  const runLine = (r: RunJson) =>
    `${r.id}  ${r.status}  ${r.git_branch ?? '-'}  ${String(r.created_at ?? '')
      .slice(0, 16)
      .replace('T', ' ')}`;
  const scope = { project_id: opts.projectId };
  if (value.length >= MIN_ID_PREFIX && /^[0-9a-f-]+$/i.test(value)) {
    const { items } = await listAll<RunJson>(ctx, '/api/eval/runs', scope, RUN_LOOKUP);
    const found = items.filter((r) => r.id.startsWith(value.toLowerCase()));
    if (found.length === 1) return found[0].id;
    if (found.length > 1) {
      throw usage(
        `${flag} "${value}" is ambiguous: ${found.length} runs start so; give more of the id:\n` +
          candidatesText(found, runLine),
      );
    }
  }
  const latest = await ctx.api.get<Page<RunJson>>('/api/eval/runs', {
    query: { ...scope, branch: value, limit: 1 },
  });
  if (latest.items.length) return latest.items[0].id;
  throw usage(
    `${flag} "${value}": no run id starts so and no run is on a branch of that name ` +
      '(give a run id, its start as "evalforge runs list" shows it, or a branch)',
  );
}
