import type { Tensor } from '@huggingface/transformers';
import { encodeBatch, inBatches, lengthOrder, restoreOrder } from './encode.js';
import type { LoadedModel } from './model-loader.js';

/** Rows per forward pass: large enough to keep the CPU busy, small enough to bound worker memory. */
export const DEFAULT_INFERENCE_BATCH_SIZE = 32;

export interface EmbeddingRow {
  vector: Float32Array;
  truncated: boolean;
}

/** Sentence embeddings as sentence-transformers computes them: mean of the last hidden states over real
 * tokens (attention mask), then L2-normalised. */
export async function embedTexts(
  loaded: LoadedModel,
  texts: readonly string[],
  batchSize = DEFAULT_INFERENCE_BATCH_SIZE,
): Promise<EmbeddingRow[]> {
  const order = lengthOrder(texts);
  const sorted = await inBatches(order, batchSize, async (indices) => {
    const encoded = encodeBatch(
      loaded.tokenizer,
      indices.map((i) => texts[i]),
      loaded.maxTokens,
    );
    const output = await loaded.model({
      input_ids: encoded.input_ids,
      attention_mask: encoded.attention_mask,
      token_type_ids: encoded.token_type_ids,
    });
    const hidden = (output.last_hidden_state ?? output.token_embeddings) as Tensor;
    return meanPoolNormalize(hidden, encoded.lengths).map((vector, r) => ({
      vector,
      truncated: encoded.truncated[r],
    }));
  });
  return restoreOrder(order, sorted);
}

function meanPoolNormalize(hidden: Tensor, lengths: number[]): Float32Array[] {
  const [rows, width, dim] = hidden.dims;
  const data = hidden.data as Float32Array;
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = new Float32Array(dim);
    // Padding is on the right, so the first `lengths[r]` positions are exactly the masked-in tokens.
    for (let t = 0; t < lengths[r]; t++) {
      const base = (r * width + t) * dim;
      for (let d = 0; d < dim; d++) v[d] += data[base + d];
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      v[d] /= lengths[r];
      norm += v[d] * v[d];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    for (let d = 0; d < dim; d++) v[d] /= norm;
    out.push(v);
  }
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Logits of a sequence classifier, one row per text (or text pair). */
export async function classifyTexts(
  loaded: LoadedModel,
  texts: readonly string[],
  pairs?: readonly string[],
  batchSize = DEFAULT_INFERENCE_BATCH_SIZE,
): Promise<{ logits: number[]; truncated: boolean }[]> {
  const order = lengthOrder(pairs ? texts.map((t, i) => t + pairs[i]) : texts);
  const sorted = await inBatches(order, batchSize, async (indices) => {
    const encoded = encodeBatch(
      loaded.tokenizer,
      indices.map((i) => texts[i]),
      loaded.maxTokens,
      pairs && indices.map((i) => pairs[i]),
    );
    const output = await loaded.model({
      input_ids: encoded.input_ids,
      attention_mask: encoded.attention_mask,
      token_type_ids: encoded.token_type_ids,
    });
    const logits = output.logits as Tensor;
    const [rows, labels] = logits.dims;
    const data = logits.data as Float32Array;
    return Array.from({ length: rows }, (_, r) => ({
      logits: Array.from(data.subarray(r * labels, (r + 1) * labels)),
      truncated: encoded.truncated[r],
    }));
  });
  return restoreOrder(order, sorted);
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
