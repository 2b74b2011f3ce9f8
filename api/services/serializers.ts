/** Entity rows → the JSON the API returns (snake_case as stored, ISO timestamps, never secrets). */
import type {
  ApiKey,
  DatasetVersion,
  EvalDataset,
  EvalSample,
  GuardrailConfig,
  LlmEndpoint,
  Project,
} from '../../db/entities/index.js';

export const iso = (d: Date | string) => new Date(d).toISOString();
export const isoOrNull = (d: Date | string | null | undefined) => (d ? iso(d) : null);

export const serializeProject = (p: Project) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  baseline_max_failed_share: p.baseline_max_failed_share,
  created_at: iso(p.created_at),
  updated_at: iso(p.updated_at),
});

export const serializeEndpoint = (e: LlmEndpoint) => ({
  id: e.id,
  project_id: e.project_id,
  name: e.name,
  provider: e.provider,
  model_name: e.model_name,
  endpoint_url: e.endpoint_url,
  config: e.config,
  api_key_env: e.api_key_env,
  secret_id: e.secret_id ?? null,
  archived_at: isoOrNull(e.archived_at),
  created_at: iso(e.created_at),
  updated_at: iso(e.updated_at),
});

export const serializeDataset = (d: EvalDataset, sampleCount: number) => ({
  id: d.id,
  project_id: d.project_id,
  name: d.name,
  description: d.description,
  version: d.version,
  sample_count: sampleCount,
  tags: d.tags,
  archived_at: isoOrNull(d.archived_at),
  created_at: iso(d.created_at),
  updated_at: iso(d.updated_at),
});

export const serializeVersion = (v: DatasetVersion) => ({
  id: v.id,
  dataset_id: v.dataset_id,
  version: v.version,
  sample_count: v.sample_count,
  note: v.note,
  created_at: iso(v.created_at),
});

export const serializeSample = (s: EvalSample) => ({
  id: s.id,
  dataset_id: s.dataset_id,
  dataset_version_id: s.dataset_version_id,
  sample_key: s.sample_key,
  position: s.position,
  input_text: s.input_text,
  system_prompt: s.system_prompt,
  reference_output: s.reference_output,
  metadata: s.metadata,
  created_at: iso(s.created_at),
});

export const serializeGuardrail = (g: GuardrailConfig) => ({
  id: g.id,
  project_id: g.project_id,
  judge_type: g.judge_type,
  threshold: g.threshold,
  is_blocking: g.is_blocking,
  config: g.config,
  enabled: g.enabled,
  created_at: iso(g.created_at),
  updated_at: iso(g.updated_at),
});

/** Never the key or its hash: the key is shown once, by the create route alone. */
export const serializeApiKey = (k: ApiKey) => ({
  id: k.id,
  project_id: k.project_id,
  name: k.name,
  key_prefix: k.key_prefix,
  last_used_at: isoOrNull(k.last_used_at),
  revoked_at: isoOrNull(k.revoked_at),
  created_at: iso(k.created_at),
});
