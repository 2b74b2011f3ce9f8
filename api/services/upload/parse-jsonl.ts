/**
 * JSON Lines: one sample object per line, blank lines skipped, BOM and CRLF tolerated. A JSON text
 * cannot hold a raw newline, so splitting on "\n" is exact; a streaming decoder keeps multi-byte UTF-8
 * characters that straddle chunk boundaries whole, and refuses invalid UTF-8 (400 invalid_utf8).
 * Records come in batches, one per body chunk.
 */
import type { UploadRecord } from './records.js';
import { decodeStrict, strictUtf8Decoder } from './utf8.js';

export async function* jsonlRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<UploadRecord[]> {
  const decoder = strictUtf8Decoder();
  let carry = '';
  let line = 0;
  let row = 0;
  const parseLine = (raw: string, batch: UploadRecord[]) => {
    line++;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === 1) text = text.replace(/^\uFEFF/, '');
    if (!text.trim()) return;
    row++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      batch.push({ row, line, error: { field: null, reason: `not valid JSON: ${(err as Error).message}` } });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      batch.push({ row, line, error: { field: null, reason: 'each line must be a JSON object' } });
      return;
    }
    batch.push({ row, line, value: value as Record<string, unknown> });
  };
  for await (const chunk of chunks) {
    const lines = (carry + decodeStrict(decoder, 'the file', chunk, { stream: true })).split('\n');
    carry = lines.pop() ?? '';
    const batch: UploadRecord[] = [];
    for (const raw of lines) parseLine(raw, batch);
    yield batch;
  }
  const batch: UploadRecord[] = [];
  const rest = carry + decodeStrict(decoder, 'the file');
  if (rest) parseLine(rest, batch);
  yield batch;
}
