/** Reads a request body as it arrives, failing with 413 as soon as it passes the limit (never buffering it all). */
import { ApiError } from '../../errors.js';

export const uploadTooLarge = (limitBytes: number) =>
  new ApiError(413, 'payload_too_large', `upload is larger than the limit of ${limitBytes} bytes`, {
    limit_bytes: limitBytes,
  });

/** Bytes a multipart body may have beyond its file: boundaries and part headers. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Refuses a body whose declared Content-Length is over the limit before reading any of it: the
 * client then gets its 413 (node discards the unread body) instead of a reset connection.
 */
export function checkDeclaredLength(headers: Headers, maxBytes: number) {
  const declared = Number(headers.get('content-length'));
  const multipart = (headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/');
  if (Number.isFinite(declared) && declared > maxBytes + (multipart ? MULTIPART_OVERHEAD_BYTES : 0)) {
    throw uploadTooLarge(maxBytes);
  }
}

export async function* limitedChunks(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let total = 0;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await it.next();
      } catch (err) {
        // The client went away or sent a broken body (e.g. truncated multipart): its problem, not a 500.
        throw new ApiError(
          400,
          'upload_interrupted',
          `the upload could not be read: ${(err as Error).message}`,
        );
      }
      if (next.done) return;
      const chunk = next.value;
      total += chunk.byteLength;
      if (total > maxBytes) throw uploadTooLarge(maxBytes);
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } finally {
    await it.return?.().catch(() => {});
  }
}
