/**
 * Request ids and structured request logs: every request gets an id (the caller's X-Request-Id when
 * it is a sane token, else a new UUID), echoed in the response header, carried by a child logger
 * (`c.get('log')`), and one pino line when it finishes. Headers and bodies are never logged: they
 * may hold API keys and user data.
 */
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { ApiDeps } from '../deps.js';
import type { ApiEnv } from './context.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const MAX_REQUEST_ID_LENGTH = 128;

export function requestIds(): MiddlewareHandler<ApiEnv> {
  return requestId({ headerName: REQUEST_ID_HEADER, limitLength: MAX_REQUEST_ID_LENGTH });
}

export function requestLog(deps: Pick<ApiDeps, 'logger'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    const log = deps.logger.child({ request_id: c.get('requestId') });
    c.set('log', log);
    await next();
    const auth = c.get('auth');
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      ...(auth?.kind === 'project_key' ? { api_key_id: auth.keyId } : auth ? { auth: auth.kind } : {}),
    };
    if (status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}
