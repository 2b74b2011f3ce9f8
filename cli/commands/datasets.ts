/** `evalforge datasets upload <file>`: streams a CSV/JSON/JSONL file to the dataset's upload route. */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type CliContext, print, printJson } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { oneOf, positiveInt, required, usageError } from '../flags.js';
import { resolveDataset, resolveProject } from '../resolve.js';

const FORMATS = ['csv', 'json', 'jsonl'] as const;
const MODES = ['append', 'replace'] as const;
const CONTENT_TYPES: Record<(typeof FORMATS)[number], string> = {
  csv: 'text/csv',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
};
const EXTENSION_FORMATS: Record<string, (typeof FORMATS)[number]> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

interface UploadResult {
  dataset_id: string;
  version: { version: number; sample_count?: number };
  added: number;
  updated: number;
  removed: number;
  rows: number;
}

export async function datasetsUpload(
  ctx: CliContext,
  args: string[],
  f: { dataset?: string; project?: string; format?: string; mode?: string; 'base-version'?: string },
): Promise<number> {
  if (args.length !== 1)
    throw usageError('usage: evalforge datasets upload <file> --dataset <name|id> [--project <name|id>]');
  const file = args[0];
  required(f.dataset, 'dataset');
  const format = oneOf(f.format, FORMATS, 'format') ?? EXTENSION_FORMATS[path.extname(file).toLowerCase()];
  if (!format) throw usageError(`cannot tell the format of ${file}: pass --format csv|json|jsonl`);
  const mode = oneOf(f.mode, MODES, 'mode');
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
  const baseVersion = positiveInt(f['base-version'], 'base-version');
  const project = f.project ? await resolveProject(ctx, f.project) : undefined;
  const dataset = await resolveDataset(ctx, f.dataset as string, project);
  const delimiter = path.extname(file).toLowerCase() === '.tsv' ? '\t' : undefined;
  const result = await ctx.api.post<UploadResult>(`/api/datasets/${encodeURIComponent(dataset)}/upload`, {
    query: { format, mode, base_version: baseVersion, delimiter },
    headers: {
      'content-type': CONTENT_TYPES[format],
      'x-file-name': path.basename(file),
    },
    // Streamed: a large file is never held in memory.
    body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream,
  });
  if (ctx.json) printJson(ctx, result);
  else {
    print(
      ctx,
      `dataset ${result.dataset_id} is now version ${result.version.version}: ${result.rows} rows read, ` +
        `${result.added} added, ${result.updated} updated, ${result.removed} removed`,
    );
  }
  return EXIT.OK;
}
