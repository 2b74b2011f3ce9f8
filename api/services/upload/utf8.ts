/**
 * Request text must be UTF-8: a byte sequence that is not is refused with 400 invalid_utf8 instead
 * of being stored with U+FFFD in its place (the default of every lenient decoder). A leading BOM is
 * dropped, as before.
 */
import { ApiError } from '../../errors.js';

export const invalidUtf8 = (what: string) =>
  new ApiError(400, 'invalid_utf8', `${what} is not valid UTF-8: save or send it as UTF-8 text`);

/** A decoder that throws on the first invalid sequence (WHATWG `fatal`). */
export const strictUtf8Decoder = () => new TextDecoder('utf-8', { fatal: true });

/** `decoder.decode(bytes, { stream })`, with a decoding failure as a 400 naming `what`. */
export function decodeStrict(
  decoder: TextDecoder,
  what: string,
  bytes?: Uint8Array,
  opts: { stream?: boolean } = {},
): string {
  try {
    return decoder.decode(bytes, opts);
  } catch (err) {
    if (err instanceof TypeError) throw invalidUtf8(what);
    throw err;
  }
}

/** Passes the chunks through unchanged once each is known to continue valid UTF-8 (a character may straddle two). */
export async function* utf8Checked(chunks: AsyncIterable<Buffer>, what: string): AsyncGenerator<Buffer> {
  const decoder = strictUtf8Decoder();
  for await (const chunk of chunks) {
    decodeStrict(decoder, what, chunk, { stream: true });
    yield chunk;
  }
  decodeStrict(decoder, what);
}
