/**
 * Where an upload's bytes and format come from: a raw body (Content-Type text/csv, application/json,
 * application/x-ndjson…) or the `file` part of multipart/form-data (streamed with busboy, never
 * buffered whole). The format is ?format= when given, else the Content-Type, else the file name.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { ApiError } from '../../errors.js';
import type { UploadFormat } from '../../schemas/datasets.js';

export interface UploadSource {
  format: UploadFormat;
  /** Tab for TSV content or .tsv files. */
  delimiter?: string;
  fileName?: string;
  body: AsyncIterable<Uint8Array>;
}

const MEDIA_TYPES: Record<string, { format: UploadFormat; delimiter?: string }> = {
  'text/csv': { format: 'csv' },
  'application/csv': { format: 'csv' },
  'text/tab-separated-values': { format: 'csv', delimiter: '\t' },
  'application/json': { format: 'json' },
  'application/x-ndjson': { format: 'jsonl' },
  'application/ndjson': { format: 'jsonl' },
  'application/jsonl': { format: 'jsonl' },
  'application/x-jsonlines': { format: 'jsonl' },
  'application/jsonlines': { format: 'jsonl' },
};
/** Content types that carry a file but do not say which format: ?format= or a file name decides. */
const GENERIC_TYPES = new Set(['text/plain', 'application/octet-stream']);

const EXTENSIONS: Record<string, { format: UploadFormat; delimiter?: string }> = {
  csv: { format: 'csv' },
  tsv: { format: 'csv', delimiter: '\t' },
  json: { format: 'json' },
  jsonl: { format: 'jsonl' },
  ndjson: { format: 'jsonl' },
};

export const ACCEPTED_UPLOAD_TYPES = [...Object.keys(MEDIA_TYPES), 'multipart/form-data', ...GENERIC_TYPES];

const unsupported = (contentType: string) =>
  new ApiError(
    415,
    'unsupported_media_type',
    `cannot upload ${contentType || 'a body without Content-Type'}`,
    {
      accepted: ACCEPTED_UPLOAD_TYPES,
    },
  );

const mediaTypeOf = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

function byName(fileName: string | undefined) {
  const ext = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  return ext ? EXTENSIONS[ext] : undefined;
}

function decide(
  query: UploadFormat | undefined,
  fromType: { format: UploadFormat; delimiter?: string } | undefined,
  fileName: string | undefined,
) {
  const fromName = byName(fileName);
  const format = query ?? fromType?.format ?? fromName?.format;
  if (!format) {
    throw new ApiError(
      415,
      'unknown_format',
      'cannot tell the file format: add ?format=csv|json|jsonl or a file name extension',
      {
        accepted: ACCEPTED_UPLOAD_TYPES,
      },
    );
  }
  const delimiter = format === 'csv' ? (fromType?.delimiter ?? fromName?.delimiter) : undefined;
  return { format, delimiter };
}

export async function openUploadSource(
  request: Request,
  queryFormat: UploadFormat | undefined,
): Promise<UploadSource> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = mediaTypeOf(contentType);
  if (!request.body) throw new ApiError(422, 'invalid_file', 'the upload is empty');
  if (mediaType === 'multipart/form-data') return multipartFile(request, contentType, queryFormat);
  const known = MEDIA_TYPES[mediaType];
  if (!known && !GENERIC_TYPES.has(mediaType)) throw unsupported(contentType);
  const fileName = request.headers.get('x-file-name') ?? undefined;
  return {
    ...decide(queryFormat, known, fileName),
    fileName,
    body: request.body as unknown as AsyncIterable<Uint8Array>,
  };
}

/** The `file` part of a multipart body, as a stream; other parts are refused. */
async function multipartFile(request: Request, contentType: string, queryFormat: UploadFormat | undefined) {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 0, parts: 1 } });
  } catch (err) {
    throw new ApiError(400, 'bad_request', `malformed multipart/form-data: ${(err as Error).message}`);
  }
  const body = Readable.fromWeb(request.body as NodeWebReadableStream<Uint8Array>);
  return new Promise<UploadSource>((resolve, reject) => {
    let settled = false;
    const fail = (err: ApiError) => {
      if (settled) return;
      settled = true;
      body.destroy();
      reject(err);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        return fail(
          new ApiError(400, 'bad_request', `unexpected form part "${field}": send the file as "file"`),
        );
      }
      try {
        const known = MEDIA_TYPES[mediaTypeOf(info.mimeType ?? '')];
        const decided = decide(queryFormat, known, info.filename);
        settled = true;
        resolve({ ...decided, fileName: info.filename, body: stream });
      } catch (err) {
        stream.resume();
        fail(err as ApiError);
      }
    });
    parser.on('field', (name) =>
      fail(
        new ApiError(400, 'bad_request', `unexpected form field "${name}": options go in the query string`),
      ),
    );
    parser.on('partsLimit', () =>
      fail(new ApiError(400, 'bad_request', 'send exactly one form part, "file"')),
    );
    parser.on('filesLimit', () => fail(new ApiError(400, 'bad_request', 'send exactly one file')));
    parser.on('fieldsLimit', () =>
      fail(new ApiError(400, 'bad_request', 'options go in the query string, not form fields')),
    );
    parser.on('error', (err: Error) =>
      fail(new ApiError(400, 'bad_request', `malformed multipart/form-data: ${err.message}`)),
    );
    parser.on('close', () => fail(new ApiError(422, 'invalid_file', 'no "file" part in the form')));
    body.on('error', (err) => fail(new ApiError(400, 'bad_request', `upload interrupted: ${err.message}`)));
    body.pipe(parser);
  });
}
