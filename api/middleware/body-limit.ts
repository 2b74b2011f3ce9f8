/**
 * Caps request bodies before anything reads them: a body over the limit is a 413 without being
 * buffered. Upload routes stream and count their bodies themselves (a larger limit), so they are skipped.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { resolveSettings } from '../settings.js';
import type { ApiEnv } from './context.js';

/** Paths that enforce their own (upload) limit while streaming. */
export const SELF_LIMITED_PATHS: RegExp[] = [/^\/api\/datasets\/[^/]+\/upload$/];

export function jsonBodyLimit(deps: Pick<ApiDeps, 'settings'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (SELF_LIMITED_PATHS.some((re) => re.test(c.req.path))) return next();
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
