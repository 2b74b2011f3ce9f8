/**
 * Bearer API keys. Outside dev mode every /api route except PUBLIC_API_PATHS needs a key: none or an
 * unknown/revoked one is 401; a valid key used on another project's resources is 403. In dev mode
 * (localhost) a missing key means full access, but a key that is sent is still checked and scoped.
 * Routes check scope with authorizeProject / requireAdmin once they know the resource's project.
 * A key that is sent but malformed, unknown or revoked counts against the client's address
 * (FailedAuthLimiter in rate-limit.ts): past the limit, requests with a key from it answer 429.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { findActiveKey, secretsEqual, touchKey } from '../services/api-keys.js';
import { resolveSettings } from '../settings.js';
import type { ApiEnv, AuthContext } from './context.js';
import { clientAddress, FailedAuthLimiter } from './rate-limit.js';

/** Reachable without a key: health probes, README badges, webhooks (verified by their own HMAC). */
export const PUBLIC_API_PATHS: RegExp[] = [
  /^\/api\/health$/,
  /^\/api\/ci\/badge\//,
  // The JSON Schema of evalforge.yaml, for editors: no tenant data.
  /^\/api\/schemas\/evalforge\.json$/,
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

/**
 * `failures` counts malformed, unknown and revoked keys per client address (FailedAuthLimiter); share
 * one between authenticate and adminMetricsAccess so both count against the same limit.
 */
export function authenticate(deps: ApiDeps, failures = new FailedAuthLimiter()): MiddlewareHandler<ApiEnv> {
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
    const { adminKey, trustedProxyHops } = resolveSettings(deps.settings);
    const address = clientAddress(c, trustedProxyHops);
    failures.refuseWhileBlocked(c, address);
    const failed = (message: string) => {
      if (address !== null) failures.recordFailure(address);
      return unauthorized(c, message);
    };
    const token = BEARER.exec(header)?.[1];
    if (!token) throw failed('the Authorization header must be "Bearer <key>"');
    if (adminKey && secretsEqual(token, adminKey)) {
      c.set('auth', { kind: 'admin' });
      return next();
    }
    const key = await findActiveKey(deps.dataSource, token);
    if (!key) throw failed('the API key is not valid or has been revoked');
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

/**
 * GET /metrics on the API's own port: open in dev mode (bound to loopback), the admin key's alone
 * otherwise — request counts by route and process internals are an operator's business, and the port
 * is the public one. Wrong keys count as failed authentication (429 past the limit).
 */
export function adminMetricsAccess(
  deps: Pick<ApiDeps, 'mode' | 'settings'>,
  failures = new FailedAuthLimiter(),
): MiddlewareHandler {
  return async (c, next) => {
    if (deps.mode === 'dev') return next();
    const { adminKey, trustedProxyHops } = resolveSettings(deps.settings);
    const header = c.req.header('authorization');
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    const address = header ? clientAddress(c, trustedProxyHops) : null;
    failures.refuseWhileBlocked(c, address);
    if (adminKey && token && secretsEqual(token, adminKey)) return next();
    if (header && address !== null) failures.recordFailure(address);
    throw unauthorized(
      c,
      adminKey
        ? 'GET /metrics needs the admin key (EVALFORGE_ADMIN_KEY) outside dev mode'
        : 'GET /metrics needs the admin key, and EVALFORGE_ADMIN_KEY is not set',
    );
  };
}

export const NO_ADMIN_KEY_WARNING =
  "EVALFORGE_ADMIN_KEY is not set: in production nobody can create projects or a project's first API " +
  'key, list every project, or read GET /metrics on the API port. Set it to a random string of at ' +
  'least 24 characters (openssl rand -base64 32)';

/** One loud line when production runs without an admin key (it starts anyway: existing keys work). */
export function warnWithoutAdminKey(deps: Pick<ApiDeps, 'mode' | 'settings' | 'logger'>): boolean {
  if (deps.mode !== 'production' || resolveSettings(deps.settings).adminKey) return false;
  deps.logger.warn({ setting: 'EVALFORGE_ADMIN_KEY' }, NO_ADMIN_KEY_WARNING);
  return true;
}
