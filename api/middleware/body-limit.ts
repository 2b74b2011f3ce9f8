/**
 * Caps request bodies before anything reads them: a body over the limit is a 413 without being
 * buffered. Upload routes stream and count their bodies themselves (a larger limit), so they are skipped.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { decodeStrict, strictUtf8Decoder } from '../services/upload/utf8.js';
import { resolveSettings } from '../settings.js';
import type { ApiEnv } from './context.js';

/** Paths that enforce their own limit while streaming: uploads, and webhooks (WEBHOOK_MAX_BYTES). */
export const SELF_LIMITED_PATHS: RegExp[] = [
  /^\/api\/datasets\/[^/]+\/upload$/,
  /^\/api\/webhook\/github$/,
  /^\/api\/github\/webhooks$/,
];

const isSelfLimited = (path: string) => SELF_LIMITED_PATHS.some((re) => re.test(path));

/** GitHub's own cap on a webhook payload (larger events are not delivered). */
export const WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;

/**
 * A webhook route's own limit, before its signature is checked: a larger body answers 413 without being
 * buffered (by Content-Length at once; a chunked body as soon as it runs over).
 */
export function webhookBodyLimit(maxSize = WEBHOOK_MAX_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        { error: { code: 'payload_too_large', message: `webhook body is larger than ${maxSize} bytes` } },
        413,
      ),
  });
}

export function jsonBodyLimit(deps: Pick<ApiDeps, 'settings'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (isSelfLimited(c.req.path)) return next();
    const maxSize = resolveSettings(deps.settings).jsonBodyMaxBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `request body is larger than ${maxSize} bytes`, {
          limit_bytes: maxSize,
        });
      },
    })(c, next);
  };
}

/**
 * Request bodies must be UTF-8: run after jsonBodyLimit (so the body read here is bounded), it decodes
 * the body with a fatal decoder and answers 400 invalid_utf8 instead of letting `c.req.json()` store
 * U+FFFD in place of the bad bytes. Hono keeps the bytes read here, so the validators parse the same body.
 */
export function utf8Body(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (!c.req.raw.body || isSelfLimited(c.req.path)) return next();
    decodeStrict(strictUtf8Decoder(), 'the request body', new Uint8Array(await c.req.arrayBuffer()));
    return next();
  };
}
