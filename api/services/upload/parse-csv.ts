/**
 * CSV rows (RFC 4180 via csv-parse): UTF-8 with or without BOM, quoted fields with commas, quotes and
 * newlines kept verbatim, blank lines skipped. The header names the columns: input_text (required),
 * system_prompt, reference_output, sample_key, metadata (a JSON object). Any other column goes into
 * metadata under its own name; empty cells mean "not given". Rows shorter than the header leave the
 * missing columns empty; rows longer than it are errors (a stray comma usually means a broken row).
 */
import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { ApiError } from '../../errors.js';
import type { UploadRecord } from './records.js';

export const SAMPLE_COLUMNS = [
  'input_text',
  'system_prompt',
  'reference_output',
  'sample_key',
  'metadata',
] as const;
const KNOWN = new Set<string>(SAMPLE_COLUMNS);

const fileError = (message: string, details?: unknown) => new ApiError(422, 'invalid_file', message, details);

/** Records in batches (one per body chunk): per-record async steps would dominate a 50k-row upload. */
export async function* csvRecords(
  chunks: AsyncIterable<Buffer>,
  delimiter = ',',
): AsyncGenerator<UploadRecord[]> {
  const parser = parse({
    bom: true,
    delimiter,
    skip_empty_lines: true,
    relax_column_count: true,
    // TSV files are often written without quoting: a quote inside an unquoted cell (JSON metadata) is
    // text there. CSV stays strict so a broken quote is reported instead of guessed at.
    relax_quotes: delimiter === '\t',
  });
  // The parser transforms synchronously: each write() emits the records completed by that chunk.
  let pending: string[][] = [];
  let failure: unknown = null;
  parser.on('data', (record: string[]) => pending.push(record));
  parser.on('error', (err) => {
    failure ??= err;
  });

  let header: string[] | null = null;
  let row = 0;
  const take = () => {
    if (failure) throw csvFailure(failure, row);
    const batch: UploadRecord[] = [];
    for (const record of pending) {
      if (!header) header = checkHeader(record);
      else batch.push(toRecord(header, record, ++row));
    }
    pending = [];
    return batch;
  };
  for await (const chunk of chunks) {
    parser.write(chunk);
    yield take();
  }
  parser.end();
  await finished(parser).catch((err) => {
    failure ??= err;
  });
  yield take();
  if (!header) throw fileError('the file is empty: expected a header row with at least input_text');
}

function csvFailure(err: unknown, rowsSoFar: number) {
  if (!(err instanceof CsvError)) return err;
  const lines = (err as CsvError & { lines?: number }).lines;
  return fileError(`CSV could not be parsed: ${err.message}`, {
    row: rowsSoFar + 1,
    line: lines,
    reason: err.code,
  });
}

function checkHeader(record: string[]): string[] {
  const header = record.map((h) => h.trim());
  const problems: string[] = [];
  header.forEach((h, i) => {
    if (!h) problems.push(`column ${i + 1} has no name`);
    else if (header.indexOf(h) !== i) problems.push(`column "${h}" appears more than once`);
  });
  if (!header.includes('input_text')) {
    problems.push(`no input_text column (found: ${header.filter(Boolean).join(', ') || 'none'})`);
  }
  if (problems.length) throw fileError(`bad CSV header: ${problems.join('; ')}`, { header, problems });
  return header;
}

function toRecord(header: string[], fields: string[], row: number): UploadRecord {
  if (fields.length > header.length && fields.slice(header.length).some((f) => f !== '')) {
    return {
      row,
      error: {
        field: null,
        reason: `row has ${fields.length} fields but the header has ${header.length} columns`,
      },
    };
  }
  const value: Record<string, unknown> = {};
  const extra: Record<string, string> = {};
  header.forEach((column, i) => {
    const cell = fields[i];
    if (cell === undefined || cell === '') return;
    if (KNOWN.has(column)) value[column] = cell;
    else extra[column] = cell;
  });
  if (typeof value.metadata === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.metadata);
    } catch {
      return {
        row,
        error: { field: 'metadata', reason: 'metadata must be a JSON object, e.g. {"category":"billing"}' },
      };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { row, error: { field: 'metadata', reason: 'metadata must be a JSON object' } };
    }
    value.metadata = { ...extra, ...parsed };
  } else if (Object.keys(extra).length) {
    value.metadata = extra;
  }
  return { row, value };
}
