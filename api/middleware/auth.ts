/**
 * Bearer API keys. Outside dev mode every /api route except PUBLIC_API_PATHS needs a key: none or an
 * unknown/revoked one is 401; a valid key used on another project's resources is 403. In dev mode
 * (localhost) a missing key means full access, but a key that is sent is still checked and scoped.
 * Routes check scope with authorizeProject / requireAdmin once they know the resource's project.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { findActiveKey, secretsEqual, touchKey } from '../services/api-keys.js';
import { resolveSettings } from '../settings.js';
import type { ApiEnv, AuthContext } from './context.js';

/** Reachable without a key: health probes, README badges, webhooks (verified by their own HMAC). */
export const PUBLIC_API_PATHS: RegExp[] = [
  /^\/api\/health$/,
  /^\/api\/ci\/badge\//,
  // Webhooks authenticate with their own HMAC signatures.
  /^\/api\/webhook\//,
  /^\/api\/github\/webhooks$/,
];

export const isPublicPath = (path: string) => PUBLIC_API_PATHS.some((re) => re.test(path));

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function unauthorized(c: Context, message: string) {
  c.header('WWW-Authenticate', 'Bearer realm="evalforge"');
  return new ApiError(401, 'unauthorized', message);
}

export function authenticate(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path)) {
      c.set('auth', { kind: 'anonymous' });
      return next();
    }
    const header = c.req.header('authorization');
    if (!header) {
      if (deps.mode === 'dev') {
        c.set('auth', { kind: 'anonymous' });
        return next();
      }
      throw unauthorized(c, 'an API key is required: send "Authorization: Bearer <key>"');
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized(c, 'the Authorization header must be "Bearer <key>"');
    const { adminKey } = resolveSettings(deps.settings);
    if (adminKey && secretsEqual(token, adminKey)) {
      c.set('auth', { kind: 'admin' });
      return next();
    }
    const key = await findActiveKey(deps.dataSource, token);
    if (!key) throw unauthorized(c, 'the API key is not valid or has been revoked');
    c.set('auth', { kind: 'project_key', projectId: key.project_id, keyId: key.id });
    await touchKey(deps.dataSource, key).catch((err) =>
      c.get('log')?.warn({ err }, 'could not record key use'),
    );
    return next();
  };
}

export const authOf = (c: Context): AuthContext =>
  (c.get('auth') as AuthContext | undefined) ?? { kind: 'anonymous' };

/** Throws 403 unless the caller may act on this project. */
export function authorizeProject(c: Context, projectId: string) {
  const auth = authOf(c);
  if (auth.kind === 'project_key' && auth.projectId !== projectId) {
    throw new ApiError(403, 'forbidden', 'this API key belongs to another project');
  }
}

/** Throws 403 for project keys: the action spans projects (creating projects, listing all). */
export function requireAdmin(c: Context, action: string) {
  if (authOf(c).kind === 'project_key') {
    throw new ApiError(
      403,
      'forbidden',
      `${action} needs the admin key (EVALFORGE_ADMIN_KEY), not a project key`,
    );
  }
}

/** The only project a caller may see, or null when it may see all (admin, dev mode). */
export function projectScope(c: Context): string | null {
  const auth = authOf(c);
  return auth.kind === 'project_key' ? auth.projectId : null;
}
