/**
 * "Test connection" for an endpoint: ONE request through the same model runner a run uses (its key
 * resolution on the worker, the outbound policy, error classification and redaction), with a single
 * attempt and a short deadline. The API starts it through the `testEndpoint` workflow: it never calls
 * providers itself, and provider keys live where the workers run.
 */
import { LlmEndpoint } from '../../db/entities/index.js';
import type { ActivityDeps } from '../deps.js';
import { createModelRunner } from './model-runner.js';

/** Longest a test call may take; a slower endpoint config is capped to it. */
export const TEST_CALL_TIMEOUT_MS = 15_000;
/** The reply is shown in a form: keep it short. */
export const TEST_REPLY_MAX_CHARS = 500;
export const TEST_PROMPT = 'Reply with one short sentence: is this connection working?';

export interface EndpointTestResult {
  ok: boolean;
  latency_ms: number | null;
  reply: string | null;
  error: string | null;
}

export function makeTestEndpoint(deps: ActivityDeps) {
  return async function testEndpoint(endpointId: string): Promise<EndpointTestResult> {
    const endpoint = await deps.dataSource.getRepository(LlmEndpoint).findOneBy({ id: endpointId });
    if (!endpoint) return { ok: false, latency_ms: null, reply: null, error: 'endpoint not found' };
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
      return { ok: false, latency_ms: null, reply: null, error: (err as Error).message };
    }
    const outcome = await runner.call({ system: null, input: TEST_PROMPT });
    if (outcome.status === 'succeeded') {
      return {
        ok: true,
        latency_ms: outcome.latencyMs,
        reply: outcome.output.slice(0, TEST_REPLY_MAX_CHARS),
        error: null,
      };
    }
    // outcome.error is already redacted by the runner (the key never leaves it).
    return {
      ok: false,
      latency_ms: outcome.latencyMs,
      reply: null,
      error: outcome.error ?? outcome.errorKind ?? outcome.status,
    };
  };
}
