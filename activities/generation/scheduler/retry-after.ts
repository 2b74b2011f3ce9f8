/** Anything with a case-insensitive `get`, as fetch's Headers. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * How long the server asked us to wait, in ms, or undefined when it did not say.
 * Understands `retry-after-ms` (OpenAI), and `retry-after` as delta-seconds or an HTTP date (RFC 9110).
 */
export function parseRetryAfterMs(
  headers: HeaderLookup | null | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1_000;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
