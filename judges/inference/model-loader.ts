import fs from 'node:fs';
import path from 'node:path';
import {
  AutoModel,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { JudgeLogger } from '../logger.js';
import type { JudgeModelInfo } from '../types.js';
import { chooseExecutionDevice, type DevicePreference, type ExecutionDevice } from './execution-device.js';
import { defaultDtype, localRevision } from './model-manifest.js';
import { type ModelSource, modelDir } from './models-dir.js';

export type ModelTask = 'embedding' | 'sequence-classification' | 'token-classification';

const MODEL_CLASSES = {
  embedding: AutoModel,
  'sequence-classification': AutoModelForSequenceClassification,
  'token-classification': AutoModelForTokenClassification,
} as const;

/** BERT-family position limit when a model names none. */
const FALLBACK_MAX_TOKENS = 512;

export interface ModelRequest {
  task: ModelTask;
  modelId: string;
  /** transformers.js dtype (fp32, fp16, q8, int8, q4…); default: the most precise file present. */
  dtype?: string;
  device?: DevicePreference;
  /** Token window; default: the model's own (sentence-transformers' max_seq_length where present). */
  maxTokens?: number;
}

export interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  info: JudgeModelInfo;
  maxTokens: number;
  /** config.id2label for classifiers. */
  labels: string[];
  /** config.problem_type: multi_label_classification means independent sigmoids, not a softmax. */
  multiLabel: boolean;
}

export interface ModelLoaderDeps {
  source: ModelSource;
  logger: JudgeLogger;
  cudaAvailable?: () => boolean;
}

/** Models load once per worker process and are shared by every judge and batch that asks for the same one. */
const loaded = new Map<string, Promise<LoadedModel>>();

export function loadModel(request: ModelRequest, deps: ModelLoaderDeps): Promise<LoadedModel> {
  const dir = modelDir(deps.source, request.modelId);
  const local = fs.existsSync(path.join(dir, 'config.json'));
  if (!local && !deps.source.allowRemote) {
    return Promise.reject(
      new ModelNotFoundError(
        `model ${request.modelId} is not in ${deps.source.modelsDir}: run \`npm run models\`, or set ` +
          'EVALFORGE_ALLOW_MODEL_DOWNLOAD=1 to fetch it from the Hugging Face hub',
      ),
    );
  }
  const dtype = request.dtype ?? (local ? defaultDtype(dir) : 'fp32');
  const device = chooseExecutionDevice(request.device ?? 'cpu', {
    modelId: request.modelId,
    logger: deps.logger,
    cudaAvailable: deps.cudaAvailable,
  });
  const key = [
    deps.source.modelsDir,
    request.task,
    request.modelId,
    dtype,
    device,
    request.maxTokens ?? '',
  ].join('|');
  let pending = loaded.get(key);
  if (!pending) {
    pending = load(request, { dir, local, dtype, device }, deps);
    // A failed load is not cached: the activity's retry gets a fresh attempt.
    pending.catch(() => loaded.delete(key));
    loaded.set(key, pending);
  }
  return pending;
}

/**
 * onnxruntime session options of every judge model. Its thread pools busy-wait between operators by
 * default: on a machine whose cores are shared (a worker that also makes the model calls, other processes)
 * that spinning doubled the CPU time of a MiniLM batch of 32 short texts (4.3–4.9 s vs 1.9–2.4 s for 60
 * batches, 2 shared cores), and inference runs on the worker's main thread, so it also stalled model calls
 * and workflow tasks. Without spinning, threads sleep when idle; the results are the same.
 */
export const SESSION_OPTIONS = {
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

async function load(
  request: ModelRequest,
  where: { dir: string; local: boolean; dtype: string; device: ExecutionDevice },
  deps: ModelLoaderDeps,
): Promise<LoadedModel> {
  env.localModelPath = deps.source.modelsDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = deps.source.allowRemote;
  const started = Date.now();
  const tokenizer = await AutoTokenizer.from_pretrained(request.modelId);
  const modelClass = MODEL_CLASSES[request.task];
  const options = {
    dtype: where.dtype,
    device: where.device,
    session_options: SESSION_OPTIONS,
  } as Parameters<typeof modelClass.from_pretrained>[1];
  let device = where.device;
  let model: PreTrainedModel;
  try {
    model = await modelClass.from_pretrained(request.modelId, options);
  } catch (err) {
    if (device !== 'cuda') throw err;
    deps.logger.warn(
      { modelId: request.modelId, requestedDevice: 'cuda', device: 'cpu', err: String(err) },
      `CUDA session for ${request.modelId} failed to start: falling back to CPU`,
    );
    device = 'cpu';
    model = await modelClass.from_pretrained(request.modelId, { ...options, device: 'cpu' });
  }
  const config = model.config as unknown as Record<string, unknown>;
  const info: JudgeModelInfo = {
    modelId: request.modelId,
    revision: where.local
      ? await localRevision(where.dir, where.dtype)
      : `hub:${config._commit_hash ?? 'main'}`,
    dtype: where.dtype,
    device,
  };
  const maxTokens = Math.min(
    request.maxTokens ?? sentenceTransformersMaxTokens(where.dir) ?? Number.POSITIVE_INFINITY,
    Number(config.max_position_embeddings ?? FALLBACK_MAX_TOKENS),
    tokenizer.model_max_length ?? Number.POSITIVE_INFINITY,
  );
  deps.logger.info(
    { ...info, maxTokens, ms: Date.now() - started },
    `loaded ${request.modelId} on ${device}`,
  );
  return {
    tokenizer,
    model,
    info,
    maxTokens,
    labels: id2label(config),
    multiLabel: config.problem_type === 'multi_label_classification',
  };
}

/** sentence-transformers truncates at max_seq_length (256 for all-MiniLM-L6-v2), not the BERT limit. */
function sentenceTransformersMaxTokens(dir: string): number | null {
  const file = path.join(dir, 'sentence_bert_config.json');
  if (!fs.existsSync(file)) return null;
  const value = JSON.parse(fs.readFileSync(file, 'utf8')).max_seq_length;
  return typeof value === 'number' ? value : null;
}

function id2label(config: Record<string, unknown>): string[] {
  const map = (config.id2label ?? {}) as Record<string, string>;
  return Object.keys(map)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => map[k]);
}

export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
}
