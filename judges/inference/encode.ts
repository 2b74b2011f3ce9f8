import { type PreTrainedTokenizer, Tensor } from '@huggingface/transformers';

/** Texts are cut to this many characters per allowed token before tokenizing: a 1 MB output costs no more
 * than a page, and no WordPiece token (plus the whitespace around it) is anywhere near this long. */
const MAX_CHARS_PER_TOKEN = 64;

export interface EncodedBatch {
  input_ids: Tensor;
  attention_mask: Tensor;
  token_type_ids: Tensor;
  /** Tokens per row before padding (special tokens included). */
  lengths: number[];
  /** Rows whose text did not fit the window and was truncated. */
  truncated: boolean[];
}

/** BERT-style encoding with truncation that keeps [SEP] (as Hugging Face's Python tokenizers do), padded to the
 * longest row. With `pairs`, rows are `[CLS] text [SEP] pair [SEP]` and the first text is truncated first. */
export function encodeBatch(
  tokenizer: PreTrainedTokenizer,
  texts: readonly string[],
  maxTokens: number,
  pairs?: readonly string[],
): EncodedBatch {
  const { cls, sep, pad } = specialTokenIds(tokenizer);
  const rows: { ids: number[]; types: number[]; truncated: boolean }[] = texts.map((text, i) => {
    const a = tokenize(tokenizer, text, maxTokens);
    if (!pairs) {
      const keep = Math.min(a.length, maxTokens - 2);
      return {
        ids: [cls, ...a.slice(0, keep), sep],
        types: new Array(keep + 2).fill(0),
        truncated: keep < a.length,
      };
    }
    let b = tokenize(tokenizer, pairs[i], maxTokens);
    const budget = maxTokens - 3;
    const keepA = Math.min(a.length, Math.max(budget - b.length, Math.floor(budget / 2)));
    const keepB = Math.min(b.length, budget - keepA);
    const truncated = keepA < a.length || keepB < b.length;
    b = b.slice(0, keepB);
    return {
      ids: [cls, ...a.slice(0, keepA), sep, ...b, sep],
      types: [...new Array(keepA + 2).fill(0), ...new Array(keepB + 1).fill(1)],
      truncated,
    };
  });
  const width = Math.max(...rows.map((r) => r.ids.length));
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(pad));
  const mask = new BigInt64Array(rows.length * width);
  const types = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => {
    row.ids.forEach((id, t) => {
      ids[r * width + t] = BigInt(id);
      mask[r * width + t] = 1n;
      types[r * width + t] = BigInt(row.types[t]);
    });
  });
  const dims = [rows.length, width];
  return {
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', types, dims),
    lengths: rows.map((r) => r.ids.length),
    truncated: rows.map((r) => r.truncated),
  };
}

/** [CLS], [SEP] and [PAD] ids, read from how the tokenizer encodes an empty text (BERT-style models). */
export function specialTokenIds(tokenizer: PreTrainedTokenizer): { cls: number; sep: number; pad: number } {
  const [cls, sep] = tokenizer.encode('', { add_special_tokens: true });
  return { cls, sep: sep ?? tokenizer.sep_token_id, pad: tokenizer.pad_token_id ?? 0 };
}

function tokenize(tokenizer: PreTrainedTokenizer, text: string, maxTokens: number): number[] {
  return tokenizer.encode(text.slice(0, maxTokens * MAX_CHARS_PER_TOKEN), { add_special_tokens: false });
}

/** Runs `fn` over consecutive slices of at most `size` items and concatenates the results in order. */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}

/** Index order by text length, so each inference batch pads to similar lengths (far less wasted compute). */
export function lengthOrder(texts: readonly string[]): number[] {
  return texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length || a - b);
}

/** Scores computed in `order` back to input order. */
export function restoreOrder<R>(order: readonly number[], sorted: readonly R[]): R[] {
  const out = new Array<R>(order.length);
  order.forEach((original, k) => {
    out[original] = sorted[k];
  });
  return out;
}
