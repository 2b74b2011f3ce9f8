/**
 * What `eval_runs.config` holds for a run started from an `evalforge.yaml` (api/services/config-runs.ts
 * writes it; generation and the gate read it):
 *   - `prompts` {system?, user}: templates rendered per sample (core/eval-config.ts renderTemplate);
 *   - `guardrails` [{judge_type, is_blocking, threshold, config}]: used instead of the project's rows;
 *   - `eval_config`, `config_path`, `config_sha256`: the file as validated, where it was read, and the hash
 *     of what decides the answers and the verdict (also in the indexed column eval_runs.config_sha256).
 * Runs without them behave as before. Readers are lenient: a malformed value reads as absent.
 */
import crypto from 'node:crypto';
import type { GuardrailDefinition } from './gate.js';

export interface RunPrompts {
  system?: string;
  user: string;
}

/** A guardrail of the run's own (its evalforge.yaml), as the gate and the judges read it. */
export interface RunGuardrail extends GuardrailDefinition {
  config: Record<string, unknown>;
}

/** The keys a config run adds to eval_runs.config. */
export interface ConfigRunOptions {
  prompts: RunPrompts;
  guardrails?: RunGuardrail[];
  eval_config: Record<string, unknown>;
  config_path: string | null;
  config_sha256: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** The run's prompt templates, or null when the run renders no template (sample text as it is). */
export function readRunPrompts(runConfig: unknown): RunPrompts | null {
  const prompts = isObject(runConfig) ? runConfig.prompts : undefined;
  if (!isObject(prompts) || typeof prompts.user !== 'string') return null;
  return {
    ...(typeof prompts.system === 'string' ? { system: prompts.system } : {}),
    user: prompts.user,
  };
}

/** The run's own guardrails (from its evalforge.yaml), or null when the project's rows apply. */
export function readRunGuardrails(runConfig: unknown): RunGuardrail[] | null {
  const guardrails = isObject(runConfig) ? runConfig.guardrails : undefined;
  if (!Array.isArray(guardrails)) return null;
  return guardrails.filter(isObject).flatMap((g) =>
    typeof g.judge_type === 'string' && typeof g.threshold === 'number'
      ? [
          {
            judge_type: g.judge_type,
            is_blocking: g.is_blocking === true,
            threshold: g.threshold,
            config: isObject(g.config) ? g.config : {},
          },
        ]
      : [],
  );
}

/** Sorted keys, no undefined: equal values serialize to equal bytes whatever their key order. */
export function canonicalJson(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, canonical(x)]),
      );
    }
    return v;
  };
  return JSON.stringify(canonical(value));
}

export const sha256Hex = (data: string | Uint8Array) =>
  crypto.createHash('sha256').update(data).digest('hex');
