/**
 * Strings are stored verbatim (quotes, SQL, HTML, emoji, newlines: no trimming, no escaping), except
 * what PostgreSQL cannot hold: text and jsonb reject U+0000, and a lone UTF-16 surrogate would be
 * silently replaced on the way to UTF-8. Both are refused with a 422 `unstorable_text` naming the field,
 * rather than altered — a stored prompt must be exactly the prompt that was sent.
 */
import { z } from '@hono/zod-openapi';
import { UNSTORABLE_TEXT } from '../errors.js';

/** Why a string cannot be stored, or null when it can. */
export function unstorableReason(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000), which PostgreSQL cannot store';
  if (!s.isWellFormed()) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

const unstorable = (message: string, path: PropertyKey[] = []) => ({
  code: 'custom' as const,
  message,
  path,
  params: { reason: UNSTORABLE_TEXT },
});

/** A string that PostgreSQL stores exactly as given. */
export function storableString() {
  return z.string().check((ctx) => {
    const reason = unstorableReason(ctx.value);
    if (reason) ctx.issues.push({ ...unstorable(reason), input: ctx.value });
  });
}

/** Every unstorable string (keys included) inside a JSON value, with its path. */
export function findUnstorable(
  value: unknown,
  path: PropertyKey[] = [],
): { path: PropertyKey[]; reason: string }[] {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason ? [{ path, reason }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findUnstorable(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const keyReason = unstorableReason(k);
      return [
        ...(keyReason ? [{ path: [...path, k], reason: `key ${keyReason}` }] : []),
        ...findUnstorable(v, [...path, k]),
      ];
    });
  }
  return [];
}

/** A JSON object for a jsonb column (metadata, config). */
export function storableJsonObject() {
  return z.record(z.string(), z.unknown()).check((ctx) => {
    for (const bad of findUnstorable(ctx.value))
      ctx.issues.push({ ...unstorable(bad.reason, bad.path), input: ctx.value });
  });
}
