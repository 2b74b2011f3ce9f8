/**
 * JSON Lines: one sample object per line, blank lines skipped, BOM and CRLF tolerated. A JSON text
 * cannot hold a raw newline, so splitting on "\n" is exact; StringDecoder keeps multi-byte UTF-8
 * characters that straddle chunk boundaries whole. Records come in batches, one per body chunk.
 */
import { StringDecoder } from 'node:string_decoder';
import type { UploadRecord } from './records.js';

export async function* jsonlRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<UploadRecord[]> {
  const decoder = new StringDecoder('utf8');
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
    const lines = (carry + decoder.write(chunk)).split('\n');
    carry = lines.pop() ?? '';
    const batch: UploadRecord[] = [];
    for (const raw of lines) parseLine(raw, batch);
    yield batch;
  }
  const batch: UploadRecord[] = [];
  const rest = carry + decoder.end();
  if (rest) parseLine(rest, batch);
  yield batch;
}
