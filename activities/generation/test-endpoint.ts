/**
 * "Test connection" for an endpoint, saved or not yet saved: ONE request through the same model runner a run
 * uses (its key resolution on the worker, the outbound policy, error classification and redaction), with a
 * single attempt and a short deadline. The API starts it through the `endpointTest` workflow: it never calls
 * providers itself, and provider keys live where the workers run.
 */
import { keyMayGoToUrl } from '../../core/key-pairing.js';
import { LlmEndpoint } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';
import type { ModelErrorKind } from './model-errors.js';
import { createModelRunner } from './model-runner.js';

/** Longest a test call may take; a slower endpoint config is capped to it. */
export const TEST_CALL_TIMEOUT_MS = 15_000;
/** The reply is shown in a form: keep it short. */
export const TEST_REPLY_MAX_CHARS = 500;
export const TEST_PROMPT = 'Reply with one short sentence: is this connection working?';

/** An endpoint as the form would save it (POST /api/projects/{id}/endpoints, already checked by the API). */
export type UnsavedEndpoint = Pick<
  LlmEndpoint,
  'project_id' | 'provider' | 'model_name' | 'endpoint_url' | 'config' | 'api_key_env' | 'secret_id'
>;

/** What to test: a saved endpoint by id, or an unsaved config (nothing is stored either way). */
export type EndpointTestTarget = { endpoint_id: string } | { unsaved: UnsavedEndpoint };

/** Why a test failed: the model runner's kinds, and the test's own reasons before or around the call. */
export type EndpointTestErrorKind =
  | ModelErrorKind
  | 'endpoint_not_found'
  | 'invalid_config'
  | 'key_url_not_paired'
  | 'no_worker'
  | 'deadline';

export interface EndpointTestResult {
  ok: boolean;
  latency_ms: number | null;
  reply: string | null;
  error: string | null;
  error_kind: EndpointTestErrorKind | null;
}

export const endpointTestFailure = (
  error_kind: EndpointTestErrorKind,
  error: string,
  latency_ms: number | null = null,
): EndpointTestResult => ({ ok: false, latency_ms, reply: null, error, error_kind });

/** The limiter key of unsaved tests: one per project, so repeated tests share limits and leave one bucket. */
const unsavedLimiterId = (projectId: string) => `unsaved-test:${projectId}`;

export function makeTestEndpoint(deps: ActivityDeps) {
  async function load(target: EndpointTestTarget): Promise<LlmEndpoint | EndpointTestResult> {
    if ('endpoint_id' in target) {
      const row = await deps.dataSource.getRepository(LlmEndpoint).findOneBy({ id: target.endpoint_id });
      return row ?? endpointTestFailure('endpoint_not_found', 'endpoint not found');
    }
    const spec = target.unsaved;
    // The API refused this already; checked again where the key is read, as the outbound policy is.
    const paired = await keyMayGoToUrl(deps.dataSource, {
      projectId: spec.project_id,
      url: spec.endpoint_url,
      apiKeyEnv: spec.api_key_env,
      secretId: spec.secret_id,
    });
    if (!paired) {
      return endpointTestFailure(
        'key_url_not_paired',
        'refused: the key is not paired with this endpoint URL by a saved endpoint of the project',
      );
    }
    return Object.assign(new LlmEndpoint(), spec, { id: unsavedLimiterId(spec.project_id) });
  }

  return async function testEndpoint(target: EndpointTestTarget): Promise<EndpointTestResult> {
    const endpoint = await load(target);
    if (!(endpoint instanceof LlmEndpoint)) return endpoint;
    const config = (endpoint.config ?? {}) as Record<string, unknown>;
    const timeout =
      typeof config.timeout_ms === 'number'
        ? Math.min(config.timeout_ms, TEST_CALL_TIMEOUT_MS)
        : TEST_CALL_TIMEOUT_MS;
    // One attempt, a short deadline: a test must answer quickly, and must not retry against a failing server.
    const probe = Object.assign(new LlmEndpoint(), endpoint, {
      config: { ...config, max_attempts: 1, timeout_ms: timeout },
    });
    let runner: ReturnType<typeof createModelRunner>;
    try {
      runner = createModelRunner(deps, probe);
    } catch (err) {
      return endpointTestFailure('invalid_config', (err as Error).message);
    }
    const outcome = await runner.call({ system: null, input: TEST_PROMPT });
    if (outcome.status === 'succeeded') {
      return {
        ok: true,
        latency_ms: outcome.latencyMs,
        reply: outcome.output.slice(0, TEST_REPLY_MAX_CHARS),
        error: null,
        error_kind: null,
      };
    }
    // outcome.error is already redacted by the runner (the key never leaves it).
    return endpointTestFailure(
      outcome.errorKind ?? 'unknown',
      outcome.error ?? outcome.errorKind ?? outcome.status,
      outcome.latencyMs,
    );
  };
}
