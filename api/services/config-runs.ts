/**
 * Runs of an `evalforge.yaml`: the config's names and files become rows, then a run starts as any other
 * (services/runs.ts). Resolution is idempotent: the same endpoint definition maps to the same endpoint row,
 * the same dataset file content to the same dataset version, so two runs of one config are comparable
 * sample by sample and share one `config_sha256`.
 *
 *   endpoint  a name → the project's endpoint of that name; inline → an endpoint row keyed by the hash of its
 *             content ("evalforge.yaml openai/gpt-4o-mini 1a2b3c4d"), checked like POST …/endpoints
 *   dataset   {name, version?} → the project's dataset; {path} → the file from `files`, stored as a version of
 *             the dataset named after the path (tagged evalforge.yaml), a new version only for new content
 *   prompts, guardrails, the config itself → eval_runs.config (core/config-run.ts)
 */
import { type DataSource, IsNull } from 'typeorm';
import { type ConfigRunOptions, canonicalJson, type RunGuardrail, sha256Hex } from '../../core/config-run.js';
import { createDatasetWithSamples, createVersion } from '../../core/dataset-versions.js';
import { DomainError } from '../../core/errors.js';
import { type EvalConfig, MAX_CONFIG_DATASET_BYTES, validateEvalConfig } from '../../core/eval-config.js';
import { GuardrailGateSettings } from '../../core/guardrail-settings.js';
import { ALLOWED_ENDPOINT_HOSTS_ENV, createOutboundPolicy } from '../../core/outbound-policy.js';
import {
  DatasetVersion,
  EvalDataset,
  EvalRun,
  LlmEndpoint,
  Project,
  ProviderSecret,
  type TriggerType,
} from '../../db/entities/index.js';
import { JUDGE_CATALOG, LLM_JUDGE_PAIRWISE_DEFAULT_THRESHOLD } from '../../judges/catalog.js';
import { judgeConfigSchema } from '../../judges/config-schemas.js';
import { baseJudgeType, type JudgeType } from '../../judges/judge-types.js';
import { isTaskQueueName } from '../../temporal.config.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound } from '../errors.js';
import { resolveSettings } from '../settings.js';
import { assertAllowedKeyEnv, assertKeyPairedWithUrl } from './provider-keys.js';
import { replayRun, type StartRunInput, startRun } from './runs.js';
import { assertNoSecrets } from './secrets.js';
import { collectUpload } from './upload/collect.js';

export interface ConfigRunInput {
  project_id: string;
  /** The run's display name and labels (POST /api/eval/run's). */
  name?: string;
  labels?: string[];
  /** Already validated (core/eval-config.ts); checked again here, so a caller cannot skip it. */
  config: EvalConfig;
  /** Where it was read from, recorded with the run. */
  config_path?: string;
  /** Repository files the config names (its dataset path) → UTF-8 text. */
  files?: Record<string, string>;
  trigger_type?: TriggerType;
  git_commit_sha?: string;
  git_branch?: string;
  git_base_branch?: string;
  pr_number?: number;
  baseline_run_id?: string;
  budget_usd?: number;
  idempotency_key?: string;
}

/** Datasets made from a repository file carry this tag (and are named after the file's path). */
export const CONFIG_DATASET_TAG = 'evalforge.yaml';
/** Inline endpoints are stored as rows named `evalforge.yaml <provider>/<model> <hash8>`. */
export const CONFIG_ENDPOINT_PREFIX = 'evalforge.yaml';
/** Bumped when what configSha256 covers changes, so old and new hashes never collide. */
const CONFIG_SHA_VERSION = 1;

const unprocessable = (code: string, message: string, details?: unknown) =>
  new ApiError(422, code, message, details);

/**
 * What an Idempotency-Key of a config run is bound to: the request as sent (the validated config, the
 * content of the dataset file it names, the git fields…), not the rows it resolves to, so a retry with the
 * same request is recognised before anything is resolved again.
 */
export function configRequestFingerprint(input: ConfigRunInput): string {
  const { idempotency_key: _key, files, ...request } = input;
  const path = 'path' in input.config.dataset ? input.config.dataset.path : undefined;
  const file = path === undefined ? undefined : files?.[path];
  return sha256Hex(
    canonicalJson({
      kind: 'config-run',
      ...request,
      trigger_type: request.trigger_type ?? 'api',
      labels: request.labels?.length ? request.labels : undefined,
      dataset_file_sha256: file === undefined ? undefined : sha256Hex(file),
    }),
  );
}

/** Resolves names and files into rows (idempotent: same content → same dataset version / endpoint row). */
export async function resolveConfigRun(
  deps: ApiDeps,
  input: ConfigRunInput,
): Promise<{ start: StartRunInput; configSha256: string }> {
  const checked = validateEvalConfig(input.config);
  if (!checked.ok) throw invalidConfig(checked.issues);
  const config = checked.config;
  if (!(await deps.dataSource.getRepository(Project).existsBy({ id: input.project_id })))
    throw notFound('project', input.project_id);

  // Everything that can refuse the config without writing comes first.
  const guardrails = config.guardrails ? resolveGuardrails(config.guardrails) : undefined;
  const endpoint = await resolveEndpoint(deps, input.project_id, config.endpoint);
  const { dataset, version } = await resolveDataset(deps, input.project_id, config.dataset, input.files);

  const configSha256 = sha256Hex(
    canonicalJson({
      v: CONFIG_SHA_VERSION,
      endpoint: {
        id: endpoint.id,
        provider: endpoint.provider,
        model: endpoint.model_name,
        url: endpoint.endpoint_url,
        params: generationParamsOf(endpoint.config),
      },
      prompts: config.prompts,
      dataset_version_id: version.id,
      judges: config.judges ?? null,
      guardrails: guardrails ?? null,
      repetitions: config.repetitions,
    }),
  );
  const runConfig: ConfigRunOptions = {
    prompts: config.prompts,
    ...(guardrails ? { guardrails } : {}),
    eval_config: config as unknown as Record<string, unknown>,
    config_path: input.config_path ?? null,
    config_sha256: configSha256,
  };
  const start: StartRunInput = {
    project_id: input.project_id,
    dataset_id: dataset.id,
    dataset_version: version.version,
    endpoint_id: endpoint.id,
    name: input.name,
    labels: input.labels,
    ...(config.judges ? { judges: config.judges } : {}),
    trigger_type: input.trigger_type,
    git_commit_sha: input.git_commit_sha,
    git_branch: input.git_branch,
    git_base_branch: input.git_base_branch,
    pr_number: input.pr_number,
    baseline_run_id: input.baseline_run_id,
    repetitions: config.repetitions,
    cache: config.cache,
    budget_usd: input.budget_usd,
    idempotency_key: input.idempotency_key,
    run_config: runConfig as unknown as Record<string, unknown>,
    config_sha256: configSha256,
    request_fingerprint: configRequestFingerprint({ ...input, config }),
  };
  return { start, configSha256 };
}

export async function startConfigRun(
  deps: ApiDeps,
  input: ConfigRunInput,
): Promise<{ run: EvalRun; created: boolean; configSha256: string }> {
  if (input.idempotency_key) {
    // A retry is answered before anything is resolved again (a named dataset may have a newer version now).
    const existing = await deps.dataSource
      .getRepository(EvalRun)
      .findOneBy({ project_id: input.project_id, idempotency_key: input.idempotency_key });
    if (existing) {
      const checked = validateEvalConfig(input.config);
      if (!checked.ok) throw invalidConfig(checked.issues);
      const fingerprint = configRequestFingerprint({ ...input, config: checked.config });
      const { run, created } = await replayRun(deps, existing, fingerprint);
      return { run, created, configSha256: run.config_sha256 ?? '' };
    }
  }
  const { start, configSha256 } = await resolveConfigRun(deps, input);
  const { run, created } = await startRun(deps, start);
  return { run, created, configSha256: run.config_sha256 ?? configSha256 };
}

/** The newest completed run of this project with this config sha (same prompts, endpoint, dataset version, judges, guardrails, repetitions). */
export async function findCompletedConfigRun(
  deps: ApiDeps,
  projectId: string,
  configSha256: string,
): Promise<EvalRun | null> {
  return deps.dataSource
    .getRepository(EvalRun)
    .createQueryBuilder('r')
    .where('r.project_id = :projectId AND r.config_sha256 = :sha AND r.status = :status', {
      projectId,
      sha: configSha256,
      status: 'completed',
    })
    .orderBy('r.completed_at', 'DESC', 'NULLS LAST')
    .addOrderBy('r.created_at', 'DESC')
    .getOne();
}

// ---- config and guardrails ---------------------------------------------------------------------

/** 422 `invalid_config` listing each problem with its path in the file ("prompts.user"). */
export function invalidConfig(issues: { path: string; message: string }[]) {
  return unprocessable(
    'invalid_config',
    `the eval config is invalid: ${issues.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

/** The threshold a guardrail gets when the config sets none: the judge's default (judges/catalog.ts). */
function defaultThreshold(judgeType: string, config: Record<string, unknown>): number {
  const base = baseJudgeType(judgeType) as JudgeType;
  if (base === 'llm_judge' && config.mode === 'pairwise') return LLM_JUDGE_PAIRWISE_DEFAULT_THRESHOLD;
  return JUDGE_CATALOG[base]?.defaultThreshold ?? 1;
}

/** Each guardrail's config checked as POST …/guardrails checks it; all problems in one 422. */
function resolveGuardrails(guardrails: NonNullable<EvalConfig['guardrails']>): RunGuardrail[] {
  const issues: { path: string; message: string }[] = [];
  const resolved = guardrails.map((g, i): RunGuardrail => {
    const config = g.config ?? {};
    const at = `guardrails.${i}.config`;
    try {
      const parsed = judgeConfigSchema(g.judge, GuardrailGateSettings.shape).safeParse(config);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          issues.push({ path: [at, ...issue.path].join('.'), message: issue.message });
      }
    } catch (err) {
      issues.push({ path: `guardrails.${i}.judge`, message: (err as Error).message });
    }
    if (config.queue !== undefined && !(typeof config.queue === 'string' && isTaskQueueName(config.queue)))
      issues.push({ path: `${at}.queue`, message: 'not a task queue of this deployment' });
    return {
      judge_type: g.judge,
      is_blocking: g.blocking,
      threshold: g.threshold ?? defaultThreshold(g.judge, config),
      config,
    };
  });
  if (issues.length) {
    throw unprocessable(
      'invalid_judge_config',
      `a guardrail's judge config is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  return resolved;
}

// ---- endpoint -------------------------------------------------------------------------------------

type InlineEndpoint = Exclude<EvalConfig['endpoint'], string>;

function generationParamsOf(config: Record<string, unknown>) {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    temperature: num(config.temperature),
    top_p: num(config.top_p),
    max_tokens: num(config.max_tokens),
  };
}

/** Serialises concurrent find-or-create of one key (two CI jobs starting the same config at once). */
async function withAdvisoryLock<T>(dataSource: DataSource, key: string, fn: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    }
  } finally {
    await runner.release();
  }
}

async function resolveEndpoint(
  deps: ApiDeps,
  projectId: string,
  spec: EvalConfig['endpoint'],
): Promise<LlmEndpoint> {
  const endpoints = deps.dataSource.getRepository(LlmEndpoint);
  if (typeof spec === 'string') {
    const rows = await endpoints.find({
      where: { project_id: projectId, name: spec, archived_at: IsNull() },
      order: { created_at: 'ASC', id: 'ASC' },
    });
    if (rows.length === 0) {
      throw unprocessable('unknown_endpoint', `the project has no endpoint named "${spec}"`, {
        path: 'endpoint',
        name: spec,
      });
    }
    if (rows.length > 1) {
      throw unprocessable(
        'ambiguous_endpoint',
        `the project has ${rows.length} endpoints named "${spec}": rename all but one, or archive them`,
        { path: 'endpoint', name: spec, endpoint_ids: rows.map((r) => r.id) },
      );
    }
    return rows[0];
  }
  return findOrCreateInlineEndpoint(deps, projectId, spec);
}

async function findOrCreateInlineEndpoint(
  deps: ApiDeps,
  projectId: string,
  spec: InlineEndpoint,
): Promise<LlmEndpoint> {
  const url = spec.url ?? null;
  const config = spec.params ?? {};
  // The checks of POST /api/projects/{id}/endpoints: no secrets, a URL the workers may call, an allowed
  // key variable, a secret of this project (referenced by name here, by id in the row).
  assertNoSecrets({ config, endpoint_url: url });
  if (url) {
    const verdict = createOutboundPolicy({
      mode: deps.mode,
      allowedHosts: process.env[ALLOWED_ENDPOINT_HOSTS_ENV],
    }).checkUrl(url);
    if (!verdict.allowed) {
      throw unprocessable('endpoint_url_not_allowed', `endpoint url not allowed: ${verdict.reason}`, {
        path: 'endpoint.url',
        category: verdict.category,
      });
    }
  }
  assertAllowedKeyEnv(deps, spec.api_key_env);
  let secretId: string | null = null;
  if (spec.secret) {
    const secret = await deps.dataSource
      .getRepository(ProviderSecret)
      .findOneBy({ project_id: projectId, name: spec.secret });
    if (!secret) {
      throw unprocessable('unknown_secret', `the project has no provider secret named "${spec.secret}"`, {
        path: 'endpoint.secret',
      });
    }
    secretId = secret.id;
  }
  // Written by whoever opens a pull request (a fork too): it must not send the project's key to a server of
  // its choosing.
  await assertKeyPairedWithUrl(
    deps,
    { projectId, url, apiKeyEnv: spec.api_key_env ?? null, secretId },
    {
      path: 'endpoint.url',
      message:
        "an inline endpoint may send a key only to its provider's own API (leave out url), or to a url that a project endpoint already uses with the same key: name that endpoint instead",
    },
  );
  const content = {
    provider: spec.provider,
    model_name: spec.model,
    endpoint_url: url,
    config,
    api_key_env: spec.api_key_env ?? null,
    secret_id: secretId,
  };
  const hash = sha256Hex(canonicalJson(content));
  const name = `${`${CONFIG_ENDPOINT_PREFIX} ${spec.provider}/${spec.model}`.slice(0, 246)} ${hash.slice(0, 8)}`;
  const sameContent = (row: LlmEndpoint) =>
    sha256Hex(
      canonicalJson({
        provider: row.provider,
        model_name: row.model_name,
        endpoint_url: row.endpoint_url,
        config: row.config,
        api_key_env: row.api_key_env,
        secret_id: row.secret_id,
      }),
    ) === hash;
  const endpoints = deps.dataSource.getRepository(LlmEndpoint);
  const find = async () =>
    (
      await endpoints.find({
        where: { project_id: projectId, name, archived_at: IsNull() },
        order: { created_at: 'ASC', id: 'ASC' },
      })
    ).find(sameContent);
  return (
    (await find()) ??
    withAdvisoryLock(
      deps.dataSource,
      `evalforge-config-endpoint:${projectId}:${hash}`,
      async () => (await find()) ?? endpoints.save({ project_id: projectId, name, ...content }),
    )
  );
}

// ---- dataset --------------------------------------------------------------------------------------

const FORMATS_BY_EXTENSION: Record<string, { format: 'csv' | 'jsonl' | 'json'; delimiter?: string }> = {
  csv: { format: 'csv' },
  tsv: { format: 'csv', delimiter: '\t' },
  jsonl: { format: 'jsonl' },
  ndjson: { format: 'jsonl' },
  json: { format: 'json' },
};

function fileFormat(path: string, declared: 'csv' | 'jsonl' | undefined) {
  const byExtension = FORMATS_BY_EXTENSION[path.toLowerCase().match(/\.([a-z]+)$/)?.[1] ?? ''];
  if (declared)
    return {
      format: declared,
      delimiter: declared === byExtension?.format ? byExtension.delimiter : undefined,
    };
  if (byExtension) return byExtension;
  throw unprocessable(
    'invalid_dataset_file',
    `cannot tell the format of ${path}: name it .csv or .jsonl, or set dataset.format`,
    { path },
  );
}

/** The dataset's name: the path itself (cut to the column's 255 characters, made unique by its hash). */
function datasetNameFor(path: string) {
  return path.length <= 255 ? path : `${path.slice(0, 240)}… ${sha256Hex(path).slice(0, 8)}`;
}

/** An upload or version error about the file, as one 422 naming the file. */
function datasetFileError(path: string, err: unknown): unknown {
  if (err instanceof DomainError && err.code === 'invalid_rows') {
    return unprocessable('invalid_dataset_file', `${path}: ${err.message}`, {
      path,
      ...(err.details as Record<string, unknown>),
    });
  }
  if (err instanceof ApiError && err.status < 500) {
    return unprocessable('invalid_dataset_file', `${path}: ${err.message}`, {
      path,
      reason: err.code,
      ...(err.details === undefined ? {} : { details: err.details }),
    });
  }
  return err;
}

async function resolveDataset(
  deps: ApiDeps,
  projectId: string,
  spec: EvalConfig['dataset'],
  files: Record<string, string> | undefined,
): Promise<{ dataset: EvalDataset; version: DatasetVersion }> {
  const datasets = deps.dataSource.getRepository(EvalDataset);
  const versions = deps.dataSource.getRepository(DatasetVersion);
  if ('name' in spec) {
    const rows = await datasets.find({
      where: { project_id: projectId, name: spec.name, archived_at: IsNull() },
      order: { created_at: 'ASC', id: 'ASC' },
    });
    if (rows.length === 0) {
      throw unprocessable('unknown_dataset', `the project has no dataset named "${spec.name}"`, {
        path: 'dataset.name',
        name: spec.name,
      });
    }
    if (rows.length > 1) {
      throw unprocessable(
        'ambiguous_dataset',
        `the project has ${rows.length} datasets named "${spec.name}": rename all but one, or archive them`,
        { path: 'dataset.name', name: spec.name, dataset_ids: rows.map((r) => r.id) },
      );
    }
    const dataset = rows[0];
    const wanted = spec.version ?? dataset.version;
    const version = await versions.findOneBy({ dataset_id: dataset.id, version: wanted });
    if (!version) {
      throw unprocessable('unknown_dataset', `dataset "${spec.name}" has no version ${wanted}`, {
        path: 'dataset.version',
        name: spec.name,
        version: wanted,
        latest_version: dataset.version,
      });
    }
    return { dataset, version };
  }

  const { path } = spec;
  const text = files?.[path];
  if (text === undefined) {
    throw unprocessable('missing_file', `the config names the dataset file ${path}, but it was not sent`, {
      path,
    });
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength > MAX_CONFIG_DATASET_BYTES) {
    throw unprocessable(
      'invalid_dataset_file',
      `${path} is ${bytes.byteLength} bytes; a dataset file named by the config may have at most ${MAX_CONFIG_DATASET_BYTES}`,
      { path, max_bytes: MAX_CONFIG_DATASET_BYTES },
    );
  }
  const format = fileFormat(path, spec.format);
  const contentSha256 = sha256Hex(bytes);
  const name = datasetNameFor(path);

  const existing = async () => {
    const dataset = await datasets
      .createQueryBuilder('d')
      .where('d.project_id = :projectId AND d.name = :name AND d.archived_at IS NULL', { projectId, name })
      .andWhere(':tag = ANY(d.tags)', { tag: CONFIG_DATASET_TAG })
      .orderBy('d.created_at', 'ASC')
      .getOne();
    if (!dataset) return { dataset: null, version: null };
    // Any version with this content, not only the latest: a file changed back maps to its old version.
    const version = await versions.findOne({
      where: { dataset_id: dataset.id, content_sha256: contentSha256 },
      order: { version: 'DESC' },
    });
    return { dataset, version };
  };
  const found = await existing();
  if (found.dataset && found.version) return { dataset: found.dataset, version: found.version };

  // New content: parse it as an upload would be (same parsers, same row checks), then store it.
  let collected: Awaited<ReturnType<typeof collectUpload>>;
  try {
    collected = await collectUpload(
      {
        ...format,
        fileName: path,
        body: (async function* () {
          yield bytes;
        })(),
      },
      { maxBytes: MAX_CONFIG_DATASET_BYTES, maxRows: resolveSettings(deps.settings).uploadMaxRows },
    );
  } catch (err) {
    throw datasetFileError(path, err);
  }
  const note = `${path} (sha256 ${contentSha256.slice(0, 12)}, ${collected.samples.length} rows)`;
  return withAdvisoryLock(deps.dataSource, `evalforge-config-dataset:${projectId}:${name}`, async () => {
    const again = await existing();
    if (again.dataset && again.version) return { dataset: again.dataset, version: again.version };
    try {
      if (!again.dataset) {
        const datasetId = await createDatasetWithSamples(deps.dataSource, {
          projectId,
          name,
          description: `the dataset file ${path} named by an evalforge.yaml; a new version for each new content`,
          tags: [CONFIG_DATASET_TAG],
          samples: collected.samples,
          note,
          contentSha256,
        });
        return {
          dataset: await datasets.findOneByOrFail({ id: datasetId }),
          version: await versions.findOneByOrFail({ dataset_id: datasetId, version: 1 }),
        };
      }
      const { version } = await createVersion(deps.dataSource, {
        datasetId: again.dataset.id,
        note,
        keep: 'none',
        add: collected.samples,
        rowOf: (i) => collected.rows[i],
        contentSha256,
      });
      return {
        dataset: await datasets.findOneByOrFail({ id: again.dataset.id }),
        version: await versions.findOneByOrFail({ id: version.id }),
      };
    } catch (err) {
      throw datasetFileError(path, err);
    }
  });
}
