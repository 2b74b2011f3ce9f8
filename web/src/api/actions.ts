/**
 * Every write the dashboard makes, as a router `action()`: it calls the API and answers with the
 * query keys it made stale, so exactly those reload (an action answering plain data would reload
 * every query on the page). Components call them through `useAction`; a refusal rejects with the
 * API's ApiRequestError, for the form to show.
 */
import { action, json, reload } from '@solidjs/router';
import {
  api,
  type EndpointCreate,
  type EndpointUpdate,
  type GuardrailUpdate,
  type GuardrailUpsert,
  type ProviderSecret,
  type Schemas,
  unwrap,
  unwrapNoContent,
} from './client';
import {
  getApiKeys,
  getDataset,
  getDatasets,
  getDatasetVersions,
  getEndpoints,
  getGuardrails,
  getProjects,
  getProjectsOverview,
  getReviewSummary,
  getRun,
  getRunReviews,
  getRuns,
  getSamples,
  getSecrets,
} from './queries';

type StartRun = Schemas['StartRun'];

/** A new dataset version changes the dataset, its versions, its samples and the project's list. */
const DATASET_KEYS = [getDatasets.key, getDataset.key, getDatasetVersions.key, getSamples.key];

/** An endpoint that points at a secret (or stops pointing at one) changes that secret's endpoint count. */
const endpointKeys = (touchesSecret: boolean) =>
  touchesSecret ? [getEndpoints.key, getSecrets.key] : getEndpoints.key;

export const createEndpoint = action(
  async (projectId: string, body: EndpointCreate) =>
    json(
      await unwrap(api.POST('/api/projects/{id}/endpoints', { params: { path: { id: projectId } }, body })),
      { revalidate: endpointKeys(!!body.secret_id) },
    ),
  'createEndpoint',
);

/** Also archives and unarchives (`archived`). */
export const updateEndpoint = action(
  async (id: string, body: EndpointUpdate) =>
    json(await unwrap(api.PUT('/api/endpoints/{id}', { params: { path: { id } }, body })), {
      revalidate: endpointKeys(body.secret_id !== undefined),
    }),
  'updateEndpoint',
);

/** 409 `in_use` when runs used it: archive it instead. `secretId`: the secret it used, whose count drops. */
export const deleteEndpoint = action(async (id: string, secretId: string | null = null) => {
  await unwrapNoContent(api.DELETE('/api/endpoints/{id}', { params: { path: { id } } }));
  return reload({ revalidate: endpointKeys(!!secretId) });
}, 'deleteEndpoint');

/**
 * A provider key on its way to the API, read once by the request and dropped. The router keeps
 * every action call's arguments as its submission `input` until the next navigation: the value
 * goes in this holder, so what the router keeps is an empty one.
 */
export class WriteOnlyValue {
  #value: string | null;
  constructor(value: string) {
    this.#value = value;
  }
  take(): string {
    const value = this.#value;
    this.#value = null;
    if (value === null) throw new Error('this value was already sent: type it again');
    return value;
  }
  toJSON() {
    return '[write-only]';
  }
}

/**
 * Stores a provider key: creates the secret, or replaces the value of the project's secret of that
 * name (`replaced`). The value goes out once and never comes back: the answer holds only its hint.
 * 503 `encryption_key_missing` when the server has no EVALFORGE_ENCRYPTION_KEY.
 */
export const createSecret = action(async (projectId: string, name: string, value: WriteOnlyValue) => {
  const call = api.POST('/api/projects/{id}/secrets', {
    params: { path: { id: projectId } },
    body: { name, value: value.take() },
  });
  const secret = await unwrap(call);
  const { response } = await call;
  return json<{ secret: ProviderSecret; replaced: boolean }>(
    { secret, replaced: response.status === 200 },
    { revalidate: getSecrets.key },
  );
}, 'createSecret');

/** A new value for a secret; endpoints using it get it on their next run. */
export const replaceSecret = action(
  async (id: string, value: WriteOnlyValue) =>
    json(
      await unwrap(api.PUT('/api/secrets/{id}', { params: { path: { id } }, body: { value: value.take() } })),
      { revalidate: getSecrets.key },
    ),
  'replaceSecret',
);

/** 409 `in_use` (details.endpoint_ids) while endpoints, archived ones included, point at it. */
export const deleteSecret = action(async (id: string) => {
  await unwrapNoContent(api.DELETE('/api/secrets/{id}', { params: { path: { id } } }));
  return reload({ revalidate: getSecrets.key });
}, 'deleteSecret');

/** Creates the judge's guardrail, or replaces the one it has. */
export const upsertGuardrail = action(
  async (projectId: string, body: GuardrailUpsert) =>
    json(
      await unwrap(api.POST('/api/projects/{id}/guardrails', { params: { path: { id: projectId } }, body })),
      {
        revalidate: getGuardrails.key,
      },
    ),
  'upsertGuardrail',
);

export const updateGuardrail = action(
  async (id: string, body: GuardrailUpdate) =>
    json(await unwrap(api.PATCH('/api/guardrails/{id}', { params: { path: { id } }, body })), {
      revalidate: getGuardrails.key,
    }),
  'updateGuardrail',
);

export const deleteGuardrail = action(async (id: string) => {
  await unwrapNoContent(api.DELETE('/api/guardrails/{id}', { params: { path: { id } } }));
  return reload({ revalidate: getGuardrails.key });
}, 'deleteGuardrail');

/** The answer holds the key itself, the only time the API ever returns it. */
export const createApiKey = action(
  async (projectId: string, name: string) =>
    json(
      await unwrap(
        api.POST('/api/projects/{id}/api-keys', { params: { path: { id: projectId } }, body: { name } }),
      ),
      { revalidate: getApiKeys.key },
    ),
  'createApiKey',
);

export const revokeApiKey = action(async (projectId: string, keyId: string) => {
  await unwrap(
    api.DELETE('/api/projects/{id}/api-keys/{key_id}', {
      params: { path: { id: projectId, key_id: keyId } },
    }),
  );
  return reload({ revalidate: getApiKeys.key });
}, 'revokeApiKey');

export type UploadFormat = 'csv' | 'json' | 'jsonl';
export const uploadFormatOf = (fileName: string): UploadFormat | null => {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'csv' || ext === 'json' || ext === 'jsonl' ? ext : ext === 'ndjson' ? 'jsonl' : null;
};

/** The file goes as the `file` part of a multipart body; the API streams and parses it. */
export const uploadSamples = action(
  async (datasetId: string, file: File, format: UploadFormat, mode: 'append' | 'replace') => {
    const form = new FormData();
    form.set('file', file, file.name);
    const uploaded = await unwrap(
      api.POST('/api/datasets/{id}/upload', {
        params: { path: { id: datasetId }, query: { format, mode } },
        body: form as never,
        bodySerializer: (body) => body as unknown as FormData,
      }),
    );
    return json(uploaded, { revalidate: DATASET_KEYS });
  },
  'uploadSamples',
);

/** Tags live in the sample's metadata; changing them makes a new dataset version. */
export const updateSampleMetadata = action(
  async (datasetId: string, sampleKey: string, metadata: Record<string, unknown>, baseVersion: number) =>
    json(
      await unwrap(
        api.PATCH('/api/datasets/{id}/samples/{sample_key}', {
          params: { path: { id: datasetId, sample_key: sampleKey } },
          body: { metadata, base_version: baseVersion, note: `tags of ${sampleKey}` },
        }),
      ),
      { revalidate: DATASET_KEYS },
    ),
  'updateSampleMetadata',
);

/** A new project: the overview and the pickers list it. */
export const createProject = action(
  async (name: string, description: string | null) =>
    json(await unwrap(api.POST('/api/projects', { body: { name, description } })), {
      revalidate: [getProjects.key, getProjectsOverview.key],
    }),
  'createProject',
);

/** An empty dataset (version 1 without samples): uploadSamples fills it. */
export const createDataset = action(
  async (projectId: string, name: string, description: string | null) =>
    json(
      await unwrap(
        api.POST('/api/projects/{id}/datasets', {
          params: { path: { id: projectId } },
          body: { name, description },
        }),
      ),
      { revalidate: DATASET_KEYS },
    ),
  'createDataset',
);

/**
 * Test connection: a worker sends one request to the saved endpoint and the answer says how it went
 * ({ok, latency_ms, reply, error, error_kind}). Changes nothing, so it is a plain call, not an action.
 */
export const testEndpointConnection = (id: string) =>
  unwrap(api.POST('/api/endpoints/{id}/test', { params: { path: { id } } }));

/** Test connection of an endpoint form before it is saved (the create's body); nothing is stored. */
export const testUnsavedEndpoint = (projectId: string, body: EndpointCreate) =>
  unwrap(api.POST('/api/projects/{id}/endpoints/test', { params: { path: { id: projectId } }, body }));

/** Starts an eval run (its workflow starts with it); the answer is the run, to navigate to. */
export const startRun = action(
  async (body: StartRun) =>
    json(await unwrap(api.POST('/api/eval/run', { body })), { revalidate: getRuns.key }),
  'startRun',
);

/** The run ends `cancelled` once its workflow stops; the live page follows it over its events. */
export const cancelRun = action(async (runId: string) => {
  await unwrap(api.POST('/api/eval/runs/{id}/cancel', { params: { path: { id: runId } } }));
  return reload({ revalidate: getRun.keyFor(runId) });
}, 'cancelRun');

/** A review changes the run's review list and its agreement summary. */
const REVIEW_KEYS = [getRunReviews.key, getReviewSummary.key];

/** Records (or updates) the caller's review of a result: overall, or of `body.judge_type`. */
export const saveReview = action(
  async (runId: string, resultId: string, body: Schemas['HumanReviewInput']) =>
    json(
      await unwrap(
        api.PUT('/api/eval/runs/{id}/results/{result_id}/review', {
          params: { path: { id: runId, result_id: resultId } },
          body,
        }),
      ),
      { revalidate: REVIEW_KEYS },
    ),
  'saveReview',
);

/** Deletes the caller's review of a result (overall, or of `judgeType`). */
export const deleteReview = action(
  async (runId: string, resultId: string, judgeType: string | null = null) => {
    await unwrapNoContent(
      api.DELETE('/api/eval/runs/{id}/results/{result_id}/review', {
        params: {
          path: { id: runId, result_id: resultId },
          query: judgeType ? { judge_type: judgeType } : {},
        },
      }),
    );
    return reload({ revalidate: REVIEW_KEYS });
  },
  'deleteReview',
);

/** Renames and/or relabels a run (`name: null` clears the name; `labels` replaces the set). */
export const updateRun = action(
  async (runId: string, body: Schemas['PatchRun']) =>
    json(await unwrap(api.PATCH('/api/eval/runs/{id}', { params: { path: { id: runId } }, body })), {
      revalidate: [getRun.key, getRuns.key],
    }),
  'updateRun',
);
