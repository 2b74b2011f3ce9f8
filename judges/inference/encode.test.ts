import { AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireModels, TEST_MODELS } from '../testing/test-models.js';
import { encodeBatch, specialTokenIds } from './encode.js';
import { modelSourceFromEnv } from './models-dir.js';

let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;

beforeAll(async () => {
  requireModels(TEST_MODELS.embedding);
  env.localModelPath = modelSourceFromEnv().modelsDir;
  env.allowRemoteModels = false;
  tokenizer = await AutoTokenizer.from_pretrained(TEST_MODELS.embedding);
});

function rows(tensor: Tensor): number[][] {
  const [n, w] = tensor.dims;
  const data = Array.from(tensor.data as BigInt64Array, Number);
  return Array.from({ length: n }, (_, r) => data.slice(r * w, (r + 1) * w));
}

describe('encodeBatch', () => {
  it('pads to the longest row and masks the padding', () => {
    const e = encodeBatch(tokenizer, ['hello world', 'hi'], 16);
    expect(rows(e.input_ids)).toEqual([
      [101, 7592, 2088, 102],
      [101, 7632, 102, 0],
    ]);
    expect(rows(e.attention_mask)).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 0],
    ]);
    expect(e.lengths).toEqual([4, 3]);
  });

  it('truncates to the window but keeps [SEP] last, as Python tokenizers do', () => {
    const e = encodeBatch(tokenizer, ['one two three four five six'], 5);
    expect(rows(e.input_ids)[0]).toEqual([101, 2028, 2048, 2093, 102]);
    expect(e.truncated).toEqual([true]);
  });

  it('encodes pairs with segment ids and truncates the first text first', () => {
    const e = encodeBatch(tokenizer, ['one two three four five six'], 8, ['hello world']);
    expect(rows(e.input_ids)[0]).toEqual([101, 2028, 2048, 2093, 102, 7592, 2088, 102]);
    expect(rows(e.token_type_ids)[0]).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(specialTokenIds(tokenizer)).toEqual({ cls: 101, sep: 102, pad: 0 });
  });
});
