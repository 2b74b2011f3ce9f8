/**
 * The dashboard's API client: openapi-fetch typed from /openapi.json (api/client/schema.d.ts, shared
 * with the CLI and scripts; `npm run gen:api-client`), one error type, and the optional API key.
 * Reads go through ./queries, writes through ./actions.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../../api/client/schema';

export type Schemas = components['schemas'];
export type Run = Schemas['EvalRun'];
export type RunStatus = Run['status'];
export type RunListQuery = NonNullable<paths['/api/eval/runs']['get']['parameters']['query']>;
export type TrendsQuery = NonNullable<paths['/api/eval/trends/{project_id}']['get']['parameters']['query']>;
export type Result = Schemas['EvalResult'];
export type Score = Schemas['JudgeScore'];
export type Progress = Schemas['RunProgress'];
export type Health = Schemas['Health'];
export type Trends = Schemas['Trends'];
export type ResultQuery = NonNullable<paths['/api/eval/runs/{id}/results']['get']['parameters']['query']>;
export type CompareQuery = NonNullable<paths['/api/eval/compare']['get']['parameters']['query']>;
/** The compare page's per-sample view, applied by the server over the whole pair. */
export type CompareView = Pick<CompareQuery, 'sort' | 'judge' | 'change'>;
export type SampleQuery = NonNullable<paths['/api/datasets/{id}/samples']['get']['parameters']['query']>;
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
/** A provider secret as the API lists it: name and hint, never the value. */
export type ProviderSecret = Schemas['ProviderSecret'];

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

/** An API failure in the server's `{error:{code,message,details}}` shape (or a network failure). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
  /** The route itself does not exist on this server (as opposed to a missing record). */
  get routeMissing() {
    return this.status === 404 && this.message.startsWith('no route for');
  }
}

const API_KEY_STORAGE = 'evalforge.apiKey';

/** The bearer key for servers that require one (never needed in dev mode); kept in this browser only. */
export const apiKeyStore = {
  get: (): string => globalThis.localStorage?.getItem(API_KEY_STORAGE) ?? '',
  set: (key: string) => {
    if (key) localStorage.setItem(API_KEY_STORAGE, key);
    else localStorage.removeItem(API_KEY_STORAGE);
  },
};

const auth: Middleware = {
  onRequest({ request }) {
    const key = apiKeyStore.get();
    if (key) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

async function toError(response: Response, body: unknown): Promise<ApiRequestError> {
  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  return new ApiRequestError(
    response.status,
    err?.code ?? 'http_error',
    err?.message ?? `${response.status} ${response.statusText}`,
    err?.details,
  );
}

/** The data of an openapi-fetch call, or an ApiRequestError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let out: { data?: T; error?: unknown; response: Response };
  try {
    out = await call;
  } catch (err) {
    throw new ApiRequestError(0, 'network_error', `the API did not answer: ${(err as Error).message}`);
  }
  if (!out.response.ok || out.data === undefined) throw await toError(out.response, out.error);
  return out.data;
}

/** For calls answered with 204 No Content (deletes): resolves when the API accepted it. */
export async function unwrapNoContent(call: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  let out: { error?: unknown; response: Response };
  try {
    out = await call;
  } catch (err) {
    throw new ApiRequestError(0, 'network_error', `the API did not answer: ${(err as Error).message}`);
  }
  if (!out.response.ok) throw await toError(out.response, out.error);
}

/** An EventSource URL; EventSource cannot send headers, so this only works where auth is off (dev). */
export const runEventsUrl = (runId: string) => `/api/eval/runs/${encodeURIComponent(runId)}/events`;
export const runExportUrl = (runId: string, format: 'csv' | 'json') =>
  `/api/eval/runs/${encodeURIComponent(runId)}/export?format=${format}`;
