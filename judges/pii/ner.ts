import { Tensor } from '@huggingface/transformers';
import { inBatches, lengthOrder, restoreOrder, specialTokenIds } from '../inference/encode.js';
import { softmax } from '../inference/inference.js';
import type { LoadedModel } from '../inference/model-loader.js';
import type { PiiSpan } from './patterns.js';
import { type TokenSpan, tokenSpans } from './token-offsets.js';

/** Token classifiers detect best in short windows (the Rampart model's authors use 480 characters); windows
 * overlap so an entity on a boundary is seen whole in one of them. */
export const NER_WINDOW_CHARS = 480;
export const NER_WINDOW_OVERLAP_CHARS = 64;
/** Only the start of a very long output goes through the model (regexes still scan all of it). */
export const NER_MAX_CHARS = 8_000;
const NER_WINDOWS_PER_BATCH = 16;

/** NER label (without B-/I-) → PII type. Unlisted labels keep their lower-cased name. */
const NER_TYPE_BY_LABEL: Record<string, string> = {
  PER: 'person_name',
  PERSON: 'person_name',
  GIVEN_NAME: 'person_name',
  SURNAME: 'person_name',
  LOC: 'location',
  LOCATION: 'location',
  CITY: 'location',
  STATE: 'location',
  BUILDING_NUMBER: 'address',
  STREET_NAME: 'address',
  SECONDARY_ADDRESS: 'address',
  ZIP_CODE: 'address',
  ORG: 'organization',
  MISC: 'misc',
};

export function nerType(label: string): string {
  return NER_TYPE_BY_LABEL[label] ?? label.toLowerCase();
}

interface Window {
  item: number;
  offset: number;
  text: string;
}

/** Entities found by a token-classification model, as character spans of each text. */
export async function detectEntities(
  loaded: LoadedModel,
  texts: readonly string[],
  minConfidence: number,
): Promise<{ spans: PiiSpan[]; truncated: boolean }[]> {
  const windows: Window[] = texts.flatMap((text, item) => windowsOf(text).map((w) => ({ item, ...w })));
  // Similar lengths per forward pass: less padding.
  const order = lengthOrder(windows.map((w) => w.text));
  const sorted = await inBatches(
    order.map((i) => windows[i]),
    NER_WINDOWS_PER_BATCH,
    (batch) => classifyWindows(loaded, batch, minConfidence),
  );
  const found = restoreOrder(order, sorted);
  return texts.map((text, item) => {
    const spans = found
      .flatMap((spansOfWindow, w) => (windows[w].item === item ? spansOfWindow : []))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    // Overlapping windows report the same entity twice: keep the first of overlapping same-type spans.
    const merged = spans.filter(
      (s, i) => !spans.slice(0, i).some((o) => o.type === s.type && o.start < s.end && s.start < o.end),
    );
    return { spans: merged, truncated: text.length > NER_MAX_CHARS };
  });
}

function windowsOf(text: string): { offset: number; text: string }[] {
  const scanned = text.slice(0, NER_MAX_CHARS);
  if (scanned.trim() === '') return [];
  const out: { offset: number; text: string }[] = [];
  for (let offset = 0; ; offset += NER_WINDOW_CHARS - NER_WINDOW_OVERLAP_CHARS) {
    out.push({ offset, text: scanned.slice(offset, offset + NER_WINDOW_CHARS) });
    if (offset + NER_WINDOW_CHARS >= scanned.length) return out;
  }
}

async function classifyWindows(
  loaded: LoadedModel,
  windows: Window[],
  minConfidence: number,
): Promise<PiiSpan[][]> {
  const { cls, sep, pad } = specialTokenIds(loaded.tokenizer);
  const tokenRows = windows.map((w) => tokenSpans(loaded.tokenizer, w.text).slice(0, loaded.maxTokens - 2));
  const width = Math.max(...tokenRows.map((r) => r.length)) + 2;
  const ids = new BigInt64Array(windows.length * width).fill(BigInt(pad));
  const mask = new BigInt64Array(windows.length * width);
  tokenRows.forEach((row, r) => {
    const rowIds = [cls, ...row.map((t) => t.id), sep];
    rowIds.forEach((id, t) => {
      ids[r * width + t] = BigInt(id);
      mask[r * width + t] = 1n;
    });
  });
  const dims = [windows.length, width];
  const output = await loaded.model({
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', new BigInt64Array(windows.length * width), dims),
  });
  const logits = output.logits as Tensor;
  const labels = logits.dims[2];
  const data = logits.data as Float32Array;
  return tokenRows.map((row, r) => {
    const tagged = row.map((token, t) => {
      const base = (r * width + t + 1) * labels;
      const probs = softmax(Array.from(data.subarray(base, base + labels)));
      const best = probs.indexOf(Math.max(...probs));
      return { token, label: loaded.labels[best] ?? 'O', score: probs[best] };
    });
    return groupEntities(tagged, minConfidence).map((s) => ({
      ...s,
      start: s.start + windows[r].offset,
      end: s.end + windows[r].offset,
    }));
  });
}

/** BIO grouping: an entity starts at B- (or an I- after something else) and takes following I- tokens and
 * WordPiece continuations; its confidence is the mean over its tokens. */
function groupEntities(
  tagged: { token: TokenSpan; label: string; score: number }[],
  minConfidence: number,
): PiiSpan[] {
  const out: PiiSpan[] = [];
  let open: { label: string; start: number; end: number; scores: number[] } | null = null;
  const close = () => {
    if (!open) return;
    const confidence = open.scores.reduce((a, b) => a + b, 0) / open.scores.length;
    if (confidence >= minConfidence && open.start >= 0) {
      out.push({ type: nerType(open.label), start: open.start, end: open.end, source: 'ner', confidence });
    }
    open = null;
  };
  for (const { token, label, score } of tagged) {
    const [prefix, entity] = label === 'O' ? ['O', ''] : [label.slice(0, 1), label.slice(2)];
    const continues =
      open !== null &&
      token.start >= 0 &&
      ((prefix === 'I' && entity === open.label) || (token.continuation && prefix !== 'O'));
    if (continues && open) {
      open.end = Math.max(open.end, token.end);
      open.scores.push(score);
      continue;
    }
    close();
    if (prefix !== 'O' && token.start >= 0)
      open = { label: entity, start: token.start, end: token.end, scores: [score] };
  }
  close();
  return out;
}
