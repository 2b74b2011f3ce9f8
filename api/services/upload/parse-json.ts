/**
 * JSON: an array of samples, or the seed's `{ "name", "description"?, "samples": [...] }`. A JSON
 * document is only valid once complete, so the body is collected (under the upload size limit, which
 * bounds memory) and parsed with the built-in JSON.parse — robust against hostile input, unlike
 * streaming tokenisers.
 */
import { ApiError } from '../../errors.js';
import type { UploadRecord } from './records.js';
import { decodeStrict, strictUtf8Decoder } from './utf8.js';

const DOCUMENT_KEYS = new Set(['name', 'description', 'samples']);

export interface JsonDocument {
  name?: string;
  records: UploadRecord[];
}

export async function jsonDocument(chunks: AsyncIterable<Buffer>): Promise<JsonDocument> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const text = decodeStrict(strictUtf8Decoder(), 'the file', Buffer.concat(parts)).replace(/^\uFEFF/, '');
  if (!text.trim())
    throw new ApiError(422, 'invalid_file', 'the file is empty: expected a JSON array of samples');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ApiError(422, 'invalid_file', `not valid JSON: ${(err as Error).message}`);
  }
  let samples: unknown;
  let name: string | undefined;
  if (Array.isArray(doc)) samples = doc;
  else if (doc && typeof doc === 'object') {
    const unknown = Object.keys(doc).filter((k) => !DOCUMENT_KEYS.has(k));
    if (unknown.length) {
      throw new ApiError(422, 'invalid_file', `unknown top-level fields: ${unknown.join(', ')}`, {
        allowed: [...DOCUMENT_KEYS],
      });
    }
    samples = (doc as { samples?: unknown }).samples;
    const n = (doc as { name?: unknown }).name;
    if (typeof n === 'string') name = n;
  }
  if (!Array.isArray(samples)) {
    throw new ApiError(
      422,
      'invalid_file',
      'expected a JSON array of samples or an object with a "samples" array',
    );
  }
  const records = samples.map((value, i): UploadRecord => {
    const row = i + 1;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { row, error: { field: null, reason: 'each sample must be a JSON object' } };
    }
    return { row, value: value as Record<string, unknown> };
  });
  return { name, records };
}
