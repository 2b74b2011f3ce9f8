/**
 * Reads a whole upload into validated samples, or fails: all-or-nothing. Every row is checked with
 * the same SampleInput schema as the JSON API; problems are gathered per row (row, field, reason) and
 * reported together in one 422, so a user fixes the file in one pass. Nothing is written until the
 * whole file is valid.
 */
import type { z } from '@hono/zod-openapi';
import { type RowError, rowErrors } from '../../../core/dataset-versions.js';
import { ApiError } from '../../errors.js';
import { SampleInput } from '../../schemas/datasets.js';
import { limitedChunks } from './limited-body.js';
import { csvRecords } from './parse-csv.js';
import { jsonDocument } from './parse-json.js';
import { jsonlRecords } from './parse-jsonl.js';
import type { UploadRecord } from './records.js';
import type { UploadSource } from './source.js';
import { utf8Checked } from './utf8.js';

export interface CollectedUpload {
  samples: SampleInput[];
  /** Row and line of each sample, for errors found later (duplicate sample_key). */
  rows: Pick<RowError, 'row' | 'line'>[];
  /** `name` of a seed-style JSON document, if any. */
  documentName?: string;
}

const ALLOWED_FIELDS = Object.keys(SampleInput.shape).join(', ');

function issuesToRowErrors(issues: z.core.$ZodIssue[], at: Pick<RowError, 'row' | 'line'>): RowError[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        ...at,
        field: key,
        reason: `unknown field (allowed: ${ALLOWED_FIELDS})`,
      }));
    }
    return [{ ...at, field: issue.path.join('.') || null, reason: issue.message }];
  });
}

async function* recordBatches(
  source: UploadSource,
  chunks: AsyncIterable<Buffer>,
  doc: { name?: string },
): AsyncGenerator<UploadRecord[]> {
  // csv-parse reads bytes and would decode an invalid sequence as U+FFFD: check them on the way in.
  if (source.format === 'csv') yield* csvRecords(utf8Checked(chunks, 'the file'), source.delimiter);
  else if (source.format === 'jsonl') yield* jsonlRecords(chunks);
  else {
    const parsed = await jsonDocument(chunks);
    doc.name = parsed.name;
    yield parsed.records;
  }
}

export async function collectUpload(
  source: UploadSource & { delimiter?: string },
  limits: { maxBytes: number; maxRows: number },
): Promise<CollectedUpload> {
  const chunks = limitedChunks(source.body, limits.maxBytes);
  const samples: SampleInput[] = [];
  const rows: Pick<RowError, 'row' | 'line'>[] = [];
  const errors: RowError[] = [];
  const doc: { name?: string } = {};
  let count = 0;
  for await (const batch of recordBatches(source, chunks, doc)) {
    for (const record of batch) {
      if (++count > limits.maxRows) {
        throw new ApiError(413, 'too_many_rows', `upload has more than the limit of ${limits.maxRows} rows`, {
          limit_rows: limits.maxRows,
        });
      }
      const at = record.line === undefined ? { row: record.row } : { row: record.row, line: record.line };
      if ('error' in record) {
        errors.push({ ...at, ...record.error });
        continue;
      }
      const parsed = SampleInput.safeParse(record.value);
      if (!parsed.success) {
        errors.push(...issuesToRowErrors(parsed.error.issues, at));
        continue;
      }
      samples.push(parsed.data);
      rows.push(at);
    }
  }
  if (errors.length) throw rowErrors(errors);
  if (!count) throw new ApiError(422, 'invalid_file', 'the upload has no data rows');
  return { samples, rows, documentName: doc.name };
}
