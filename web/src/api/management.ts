/** Projects, endpoints, datasets, guardrails and API keys through the typed client. */
import { api, type Schemas, unwrap, unwrapNoContent } from './client';

export type Project = Schemas['Project'];
export type Endpoint = Schemas['Endpoint'];
export type Dataset = Schemas['Dataset'];
export type DatasetVersion = Schemas['DatasetVersion'];
export type Sample = Schemas['Sample'];
export type Guardrail = Schemas['Guardrail'];
export type ApiKeyInfo = Schemas['ApiKey'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type EndpointCreate = Schemas['EndpointCreate'];
export type EndpointUpdate = Schemas['EndpointUpdate'];
export type GuardrailUpsert = Schemas['GuardrailUpsert'];
export type GuardrailUpdate = Schemas['GuardrailUpdate'];
export type UploadResult = Schemas['UploadResult'];

/** The API's largest page: settings lists and pickers show everything up to it. */
const ALL = { offset: 0, limit: 500 };

export const listProjects = (page: { offset: number; limit: number } = ALL) =>
  unwrap(api.GET('/api/projects', { params: { query: page } }));
export const getProject = (id: string) => unwrap(api.GET('/api/projects/{id}', { params: { path: { id } } }));
export const listEndpoints = (id: string, includeArchived = false) =>
  unwrap(
    api.GET('/api/projects/{id}/endpoints', {
      params: { path: { id }, query: { ...ALL, include_archived: includeArchived ? 'true' : 'false' } },
    }),
  ).then((p) => p.items);
export const createEndpoint = (projectId: string, body: EndpointCreate) =>
  unwrap(api.POST('/api/projects/{id}/endpoints', { params: { path: { id: projectId } }, body }));
export const updateEndpoint = (id: string, body: EndpointUpdate) =>
  unwrap(api.PUT('/api/endpoints/{id}', { params: { path: { id } }, body }));
/** 409 `in_use` when runs used it: archive it instead (updateEndpoint with archived: true). */
export const deleteEndpoint = (id: string) =>
  unwrapNoContent(api.DELETE('/api/endpoints/{id}', { params: { path: { id } } }));
export const listDatasets = (id: string) =>
  unwrap(api.GET('/api/projects/{id}/datasets', { params: { path: { id }, query: ALL } })).then(
    (p) => p.items,
  );
export const getDataset = (id: string) => unwrap(api.GET('/api/datasets/{id}', { params: { path: { id } } }));
export const listDatasetVersions = (id: string) =>
  unwrap(api.GET('/api/datasets/{id}/versions', { params: { path: { id }, query: ALL } })).then(
    (p) => p.items,
  );
export const listSamples = (id: string, query: { offset: number; limit: number; version?: number }) =>
  unwrap(api.GET('/api/datasets/{id}/samples', { params: { path: { id }, query } }));
export const listGuardrails = (id: string) =>
  unwrap(api.GET('/api/projects/{id}/guardrails', { params: { path: { id } } }));
export const upsertGuardrail = (projectId: string, body: GuardrailUpsert) =>
  unwrap(api.POST('/api/projects/{id}/guardrails', { params: { path: { id: projectId } }, body }));
export const updateGuardrail = (id: string, body: GuardrailUpdate) =>
  unwrap(api.PATCH('/api/guardrails/{id}', { params: { path: { id } }, body }));
export const deleteGuardrail = (id: string) =>
  unwrapNoContent(api.DELETE('/api/guardrails/{id}', { params: { path: { id } } }));
export const listApiKeys = (id: string) =>
  unwrap(api.GET('/api/projects/{id}/api-keys', { params: { path: { id } } }));
/** The response holds the key itself, the only time the API ever returns it. */
export const createApiKey = (projectId: string, name: string) =>
  unwrap(api.POST('/api/projects/{id}/api-keys', { params: { path: { id: projectId } }, body: { name } }));
export const revokeApiKey = (projectId: string, keyId: string) =>
  unwrap(
    api.DELETE('/api/projects/{id}/api-keys/{key_id}', {
      params: { path: { id: projectId, key_id: keyId } },
    }),
  );

export type UploadFormat = 'csv' | 'json' | 'jsonl';
export const uploadFormatOf = (fileName: string): UploadFormat | null => {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'csv' || ext === 'json' || ext === 'jsonl' ? ext : ext === 'ndjson' ? 'jsonl' : null;
};

/** The file goes as the `file` part of a multipart body; the API streams and parses it. */
export function uploadSamples(id: string, file: File, format: UploadFormat, mode: 'append' | 'replace') {
  const form = new FormData();
  form.set('file', file, file.name);
  return unwrap(
    api.POST('/api/datasets/{id}/upload', {
      params: { path: { id }, query: { format, mode } },
      body: form as never,
      bodySerializer: (body) => body as unknown as FormData,
    }),
  );
}

/** Tags live in the sample's metadata; changing them makes a new dataset version. */
export const updateSampleMetadata = (
  id: string,
  sampleKey: string,
  metadata: Record<string, unknown>,
  baseVersion: number,
) =>
  unwrap(
    api.PATCH('/api/datasets/{id}/samples/{sample_key}', {
      params: { path: { id, sample_key: sampleKey } },
      body: { metadata, base_version: baseVersion, note: `tags of ${sampleKey}` },
    }),
  );
